import environ

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "db.sqlite3",
    }
}

# Cache / Channels: all backed by Redis
REDIS_URL = env("REDIS_URL", default="redis://localhost:6379")

CACHES = {
    # want "HR902 CACHES..default..: the stack can open 1600 connections to Redis server redis at once"
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"{REDIS_URL}/2",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 5,
            "SOCKET_TIMEOUT": 5,
            "CONNECTION_POOL_KWARGS": {"max_connections": 100},
        },
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [f"{REDIS_URL}/1"],
            "capacity": 1500,
        },
    },
}
