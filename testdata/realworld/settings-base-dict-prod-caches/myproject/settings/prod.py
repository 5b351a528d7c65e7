from .base import *  # noqa

DEBUG = False
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 5,
            "SOCKET_TIMEOUT": 5,
            # want "HR301 .* caps the Redis pool at 10 .*web serves up to 12 at once"
            "CONNECTION_POOL_KWARGS": {"max_connections": 10},
        },
    }
}
