CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "OPTIONS": {
            "CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        },
    },
}
