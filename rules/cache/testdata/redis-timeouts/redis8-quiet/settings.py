# redis-py 8 defaults socket_timeout and socket_connect_timeout to 5 s:
# nothing hangs, nothing to flag.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
