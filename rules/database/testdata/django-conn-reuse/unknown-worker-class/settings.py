DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "gunicorn runs the worker class myproject.workers.CustomWorker, which headroom does not know"
    },
}
