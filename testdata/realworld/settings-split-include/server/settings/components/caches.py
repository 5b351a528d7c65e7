CACHES = {
    # want "HR302 .* has no socket_connect_timeout / socket_timeout"
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/0",
    },
}
