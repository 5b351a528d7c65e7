DATABASES = {}
INSTALLED_APPS = [  # want "no metrics: django.prometheus is not in INSTALLED_APPS"
    "django.contrib.admin",
    "rest_framework",
]
