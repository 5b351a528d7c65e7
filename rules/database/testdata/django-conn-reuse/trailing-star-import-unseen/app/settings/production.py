# local_settings.py is copied in at deploy time (not in the repository) and
# may replace DATABASES: what Django ends up with is not known, so quiet.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
    },
}

from .local_settings import *  # noqa: E402,F403
