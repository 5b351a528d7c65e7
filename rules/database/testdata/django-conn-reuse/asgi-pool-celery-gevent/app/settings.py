DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "celery_ai.s 100 greenlets share 4 connections per process: waits up to 10 s, then PoolTimeout"
    },
}
