CACHES = {
    "default": {  # want "leaves max_connections unset, so the Redis pool is capped at 50 connections per process \\(redis.BlockingConnectionPool's default max_connections: 50\\).*a command waits up to 2 s \\(timeout 2\\) for a free connection.*raise it to 300"
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CONNECTION_POOL_CLASS": "redis.connection.BlockingConnectionPool",
            "CONNECTION_POOL_KWARGS": {"timeout": 2},
        },
    }
}
