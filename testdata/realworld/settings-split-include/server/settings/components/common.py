from decouple import config

SECRET_KEY = config("DJANGO_SECRET_KEY", default="dev")
DEBUG = config("DJANGO_DEBUG", default=False, cast=bool)
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
