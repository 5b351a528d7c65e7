DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "leaks one connection per thread .*Django 4.2.16 has no connection pool"
    },
}
