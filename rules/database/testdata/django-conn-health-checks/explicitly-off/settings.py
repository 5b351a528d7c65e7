DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": False,  # want "with CONN_HEALTH_CHECKS off"
    },
}
