DATABASES = {}
INSTALLED_APPS = [  # want "no error tracking: nothing calls sentry_sdk.init"
    "django.contrib.admin",
    "rest_framework",
]
