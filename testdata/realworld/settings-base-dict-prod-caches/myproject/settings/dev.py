from .base import *  # noqa

DEBUG = True
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://localhost:6379/1",
        "OPTIONS": {"CONNECTION_POOL_KWARGS": {"max_connections": 10}},
    }
}
