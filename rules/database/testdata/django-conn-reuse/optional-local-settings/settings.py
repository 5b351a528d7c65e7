DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "CONN_MAX_AGE is 0"
    },
}

# A developer's optional overrides: absent where the image runs.
try:
    from .local_settings import *  # noqa: F403
except ImportError:
    pass
