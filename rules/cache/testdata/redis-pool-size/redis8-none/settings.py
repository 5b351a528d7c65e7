CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"max_connections": None},  # want "sets max_connections to None, which redis-py reads as its default, so the Redis pool is capped at 100 connections per process \\(None: redis-py 8's default pool cap: 100.*raise it to 300"
    }
}
