CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.redis.RedisCache',
        'LOCATION': 'redis://redis:6379/1',
        'OPTIONS': {'socket_timeout': 5},  # want "has no socket_connect_timeout"
    },
}
