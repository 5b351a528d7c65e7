# Django 3.2 runs sync views under ASGI on one thread per process: the
# persistent connection is reused, not leaked.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 600,
    },
}
