from .base import *  # noqa

DATABASES = {
    # want "HR201 .* CONN_MAX_AGE is not set"
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "HOST": "db",
        "OPTIONS": {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 5},
    }
}
