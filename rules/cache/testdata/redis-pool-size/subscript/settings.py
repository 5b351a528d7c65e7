CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "OPTIONS": {"CONNECTION_POOL_KWARGS": {}}}}
CACHES["default"]["OPTIONS"]["CONNECTION_POOL_KWARGS"]["max_connections"] = 100  # want "at 100 connections"
