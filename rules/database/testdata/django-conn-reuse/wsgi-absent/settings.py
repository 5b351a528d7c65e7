DATABASES = {
    # want "CONN_MAX_AGE is not set"
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "NAME": "app"
    },
}
