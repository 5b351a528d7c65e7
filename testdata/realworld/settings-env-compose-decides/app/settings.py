import os

SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
DEBUG = os.getenv("DEBUG", "0") == "1"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DATABASE_NAME", "app"),
        "HOST": os.environ.get("DATABASE_HOST", "localhost"),
        # want "HR201 .* CONN_MAX_AGE is 0 .\\$CONN_MAX_AGE from environment of service web in docker-compose.yml"
        "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", 600)),
        "OPTIONS": {
            "connect_timeout": 10,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 5,
        },
    }
}

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.getenv("REDIS_URL", "redis://redis:6379/1"),
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 5,
            "SOCKET_TIMEOUT": 5,
            # want "HR301 .* caps the Redis pool at 10 connections per process .\\$REDIS_MAX_CONNECTIONS from environment of service web"
            "CONNECTION_POOL_KWARGS": {"max_connections": int(os.getenv("REDIS_MAX_CONNECTIONS", "200"))},
        },
    }
}
