"""What every case shares; each case's validate/settings.py imports it and
sets its own CACHES, as a project with per-environment settings does."""

SECRET_KEY = "headroom-validate-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "validate.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
USE_TZ = True
DATABASES = {}
