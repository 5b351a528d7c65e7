import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEBUG = False

# The development database; the image's settings.config replaces it.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "taiga",
        "USER": "taiga",
        "HOST": "localhost",
    }
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "taiga.base",
]

ROOT_URLCONF = "taiga.urls"
WSGI_APPLICATION = "taiga.wsgi.application"
