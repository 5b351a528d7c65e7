"""What every case shares; each case's proj/settings.py imports it and sets
its own CONN_MAX_AGE, as a project with per-environment settings does."""
import os

SECRET_KEY = "headroom-validate-not-secret"
DEBUG = False
INSTALLED_APPS = []
USE_TZ = True

# The server comes from libpq's environment (PGHOST, PGPORT, PGUSER), as
# does the worker's application_name (PGAPPNAME).
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
