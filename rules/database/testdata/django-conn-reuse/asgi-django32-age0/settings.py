DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "Django 3.2.25's ASGI handler runs sync views on one thread per process.*set CONN_MAX_AGE = 600"
    },
}
