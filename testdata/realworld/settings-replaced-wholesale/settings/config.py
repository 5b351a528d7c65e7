from .common import *  # noqa, pylint: disable=unused-wildcard-import

DEBUG = False

# Replaces the base's DATABASES wholesale: this is the database that runs.
DATABASES = {
    # want "HR201 DATABASES..default.. CONN_MAX_AGE is not set"
    # want "HR203 DATABASES..default.. OPTIONS lacks connect_timeout"
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("POSTGRES_DB", "taiga"),
        "USER": os.getenv("POSTGRES_USER", "taiga"),
        "PASSWORD": os.getenv("POSTGRES_PASSWORD", "taiga"),
        "HOST": os.getenv("POSTGRES_HOST", "taiga-db"),
        "PORT": os.getenv("POSTGRES_PORT", "5432"),
    }
}
