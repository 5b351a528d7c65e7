CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "OPTIONS": {}}}  # want "has no socket_connect_timeout / socket_timeout"
