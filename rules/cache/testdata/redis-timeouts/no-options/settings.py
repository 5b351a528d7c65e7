CACHES = {
    # want "has no SOCKET_CONNECT_TIMEOUT / SOCKET_TIMEOUT"
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
    },
}
