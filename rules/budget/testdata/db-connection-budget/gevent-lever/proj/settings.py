DATABASES = {
    "default": {  # want "the stack can hold 119 PostgreSQL connections at once, more than the 117 .* celery_ai 100 greenlets .*; celery_ai's gevent pool is the largest lever: --concurrency 98 leaves the rest of the stack within the limit"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
    }
}
