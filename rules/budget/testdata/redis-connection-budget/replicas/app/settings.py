INSTALLED_APPS = ["django.contrib.contenttypes"]
CACHES = {
    "default": {  # want "CACHES\\[\"default\"\\]: 36 processes x max_connections 200 = 7200 Redis connections, more than maxclients 5000 accepts \\(processes: web 32 \\+ worker 4\\)" # related "docker-compose.yml:12: redis: maxclients 5000" "settings.py:7: max_connections 200 per process"
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CONNECTION_POOL_KWARGS": {"max_connections": 200},
            "SOCKET_CONNECT_TIMEOUT": 5,
            "SOCKET_TIMEOUT": 5,
        },
    }
}
