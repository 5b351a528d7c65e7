import os

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"max_connections": int(os.environ.get("REDIS_MAX_CONNECTIONS", "50"))},  # want "at 50 connections .* \\$REDIS_MAX_CONNECTIONS"
    }
}
