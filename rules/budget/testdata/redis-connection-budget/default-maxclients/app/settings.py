INSTALLED_APPS = ["django.contrib.contenttypes"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"max_connections": 200, "socket_connect_timeout": 5, "socket_timeout": 5},
    }
}
