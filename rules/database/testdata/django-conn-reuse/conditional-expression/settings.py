import os

STATIC_BUILD = os.environ.get("STATIC_BUILD", "") == "1"

# The image build collects static files without a database; the running app
# gets the dict.
DATABASES = {
    "default": {  # want "CONN_MAX_AGE is not set"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
    },
} if not STATIC_BUILD else {}
