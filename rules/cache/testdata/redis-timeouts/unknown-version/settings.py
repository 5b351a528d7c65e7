# django-redis and celery pins bound redis-py only from below: the message
# must not claim which default runs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        # want "has no socket_connect_timeout / socket_timeout: redis-py before 8.0 sets no socket timeout \\(8.0 defaults to 5 s\\) and the requirements do not show which redis-py runs, so a stalled"
        "OPTIONS": {"db": 1},
    }
}
