CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "CONNECTION_POOL_KWARGS": {
                "max_connections": 100,  # want "caps the Redis pool at 100 connections per process, and no process headroom read loads these settings"
                "retry_on_timeout": True,
            },
        },
    }
}
