import environ

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="change-me")
DEFAULT_DB = "default"
REDIS_URL = "redis://redis:6379"

DATABASES = {
    # want "HR201 .* CONN_MAX_AGE is not set"
    DEFAULT_DB: env.db("DATABASE_URL", default="postgres://app@db:5432/app?connect_timeout=10&keepalives=1&keepalives_idle=30&keepalives_interval=10&keepalives_count=5"),
}
DATABASES[DEFAULT_DB]["ATOMIC_REQUESTS"] = True

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"{REDIS_URL}/1",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
    }
}
