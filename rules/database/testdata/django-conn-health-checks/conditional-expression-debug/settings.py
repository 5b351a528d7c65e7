import os

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

# DEBUG is off in production: the else side is what runs there.
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"},
} if DEBUG else {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 600,  # want "without CONN_HEALTH_CHECKS"
    },
}
