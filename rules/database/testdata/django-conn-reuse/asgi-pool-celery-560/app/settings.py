DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "Celery 5.6.0, which closes Django.s pool around every task: tasks waiting for a connection fail with PoolClosed"
    },
}
