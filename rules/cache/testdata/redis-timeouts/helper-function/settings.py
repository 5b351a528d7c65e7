REDIS_HOST = "redis"
REDIS_PORT = 6379


def _make_cache_config(dbnum: int, **overrides) -> dict:
    """Every cache alias is built here: the timeouts belong in this dict."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/{dbnum}",
        # want "CACHES..default.. has no SOCKET_CONNECT_TIMEOUT" "CACHES..locks.. has no SOCKET_CONNECT_TIMEOUT"
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
        }
        | overrides.pop("OPTIONS", {}),
    } | overrides


CACHES = {
    "default": _make_cache_config(0),
    "locks": _make_cache_config(2, TIMEOUT=None),
    # this alias passes its own OPTIONS, timeouts included
    "sessions": _make_cache_config(
        3, OPTIONS={"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5}
    ),
}
