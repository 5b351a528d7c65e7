DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        # want "CONN_MAX_AGE = 600 keeps connections open, but Dockerfile runs gunicorn's gevent workers: each greenlet opens its own connection"
        "CONN_MAX_AGE": 600,
    }
}
