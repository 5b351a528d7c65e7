INSTALLED_APPS = ["django.contrib.contenttypes"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.example.com",
        "CONN_MAX_AGE": 600,  # want "CONN_MAX_AGE = 600 keeps connections open, but celery_ai runs Celery's gevent pool" # related "docker-compose.yml:7: celery_ai runs Celery's gevent pool"
    }
}
