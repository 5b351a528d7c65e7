# redis-py 7.4 leaves an unset pool unbounded (2**31): nothing to flag.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
    }
}
