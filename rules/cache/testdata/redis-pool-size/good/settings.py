CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "OPTIONS": {"CONNECTION_POOL_KWARGS": {"max_connections": 500}},
    }
}
