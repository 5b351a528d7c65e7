SECRET_KEY = "change-me"

# headroom: ignore[HR201] connections go through PgBouncer on localhost, which pools them
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "HOST": "localhost",
        "PORT": "6432",
        "OPTIONS": {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 5},
    }
}
