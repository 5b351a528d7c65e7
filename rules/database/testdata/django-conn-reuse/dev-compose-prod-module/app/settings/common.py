DATABASES = {
    "default": {  # want "CONN_MAX_AGE is not set"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.internal",
    },
}
