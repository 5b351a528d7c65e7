CACHES = {
    "default": {  # want "leaves max_connections unset, so the Redis pool is capped at 100 connections per process \\(redis-py 8's default pool cap: 100 \\(redis 8.0.1 \\(requirements.txt line 3\\)\\)\\), and worker serves up to 300 at once.*redis-py raises \"Too many connections\" instead of waiting; raise it to 300"
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
    }
}
