CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "OPTIONS": {
            "SOCKET_TIMEOUT": 5,  # want "SOCKET_TIMEOUT is a django-redis option"
            "socket_connect_timeout": 5,
            "socket_timeout": 5,
        },
    },
}
