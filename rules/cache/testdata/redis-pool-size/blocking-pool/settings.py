CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CONNECTION_POOL_CLASS": "redis.BlockingConnectionPool",
            "CONNECTION_POOL_KWARGS": {"max_connections": 100},  # want "caps the Redis pool at 100 connections per process, and worker serves up to 300 at once per process .*: when all are busy a command waits up to 20 s \\(the pool's default timeout\\) for a free connection \\(redis.BlockingConnectionPool\\), then redis-py raises \"No connection available.\"; raise it to 300"
        },
    }
}
