SECRET_KEY = "override-me"
INSTALLED_APPS = ["django.contrib.contenttypes"]

DATABASES = {
    # want "HR201 .* CONN_MAX_AGE is not set .* .in effect for myproject/settings/prod.py."
    # related "myproject/settings/prod.py:1:1: the settings module in use: DJANGO_SETTINGS_MODULE"
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "myproject",
        "HOST": "db",
        "OPTIONS": {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 5},
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
