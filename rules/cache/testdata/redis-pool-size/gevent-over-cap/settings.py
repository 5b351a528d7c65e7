CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "CONNECTION_POOL_KWARGS": {
                "max_connections": 100,  # want "caps the Redis pool at 100 connections per process, and worker serves up to 300 at once per process .*raise it to 300"
                "retry_on_timeout": True,
            },
        },
    }
}
