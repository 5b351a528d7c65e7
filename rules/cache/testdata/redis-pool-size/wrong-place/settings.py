# django-redis does not read a top-level max_connections: not the pool cap.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "OPTIONS": {"max_connections": 10},
    }
}
