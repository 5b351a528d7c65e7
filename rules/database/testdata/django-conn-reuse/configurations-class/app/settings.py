from configurations import Configuration, values


class Base(Configuration):
    DATABASES = {
        "default": {  # want "CONN_MAX_AGE is not set .* under WSGI workers set CONN_MAX_AGE = 600"
            "ENGINE": values.Value("django.db.backends.postgresql", environ_name="DB_ENGINE", environ_prefix=None),
            "HOST": values.Value("db", environ_name="DB_HOST", environ_prefix=None),
        }
    }

    @property
    def ALLOWED_HOSTS(self):
        return ["*"]


class Development(Base):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": "db.sqlite3",
        }
    }


class Secure:
    SESSION_COOKIE_SECURE = True


class Production(Secure, Base):
    DEBUG = False
