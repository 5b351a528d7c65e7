DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "validate",
        "HOST": "/tmp/pg",
        "CONN_MAX_AGE": 600,
    }
}
