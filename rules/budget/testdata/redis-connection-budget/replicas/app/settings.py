INSTALLED_APPS = ["django.contrib.contenttypes"]
CACHES = {
    "default": {  # want "CACHES\\[\"default\"\\]: the stack can open 6404 connections to Redis server redis at once \\(6404 of them through this client\\), more than the 5000 it accepts \\(maxclients = 5000\\): web 32 processes x 200 \\+ worker 4 processes x 1 = 6404" # related "docker-compose.yml:12: redis: maxclients 5000" "settings.py:7: a pool of up to 200 connections per process"
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CONNECTION_POOL_KWARGS": {"max_connections": 200},
            "SOCKET_CONNECT_TIMEOUT": 5,
            "SOCKET_TIMEOUT": 5,
        },
    }
}
