CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        # want "has no SOCKET_CONNECT_TIMEOUT / SOCKET_TIMEOUT: redis-py before 8.0 \\(redis 7.4.0 \\(requirements.txt line 2\\)\\) sets no socket timeout, so a stalled or unreachable Redis blocks every worker that touches the cache; set 5 s"
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
