DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}
DATABASES["default"]["CONN_MAX_AGE"] = None  # want "without CONN_HEALTH_CHECKS"
DEBUG = False
