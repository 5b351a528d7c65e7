import os

SECRET_KEY = os.environ.get("SECRET_KEY", "dev")


def setup_database():
    """DATABASES from the POSTGRES_* variables the compose file sets."""
    global DATABASES
    DATABASES = {
        # want "HR201 .* CONN_MAX_AGE is not set"
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("POSTGRES_DB", "app"),
            "USER": os.environ.get("POSTGRES_USER", "app"),
            "HOST": os.environ.get("POSTGRES_HOST", "db"),
            "PORT": os.environ.get("POSTGRES_PORT", "5432"),
            # want "HR203 .*OPTIONS lacks keepalives, keepalives_idle"
            "OPTIONS": {"connect_timeout": 5},
        }
    }


setup_database()
