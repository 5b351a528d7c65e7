# 22 processes hold 44 connections (a cache and a broker pool each) through the pools; the five worker
# containers' consumers hold 50 more of their own (consumer, remote
# control, mingle, events, gossip): 94 against maxclients 80.
INSTALLED_APPS = ["django.contrib.contenttypes"]
CACHES = {
    "default": {  # want "CACHES\\[\"default\"\\]: the stack can open 94 connections to Redis server redis at once \\(22 of them through this client\\), more than the 80 it accepts \\(maxclients = 80\\): web 2 processes x 2 \\+ worker 20 processes x 2 \\+ 5 containers x 10 worker's own = 94" # related "docker-compose.yml:12: redis: maxclients 80"
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
    }
}
CELERY_BROKER_URL = "redis://redis:6379/0"
