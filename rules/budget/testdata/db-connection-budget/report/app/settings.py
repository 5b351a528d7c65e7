INSTALLED_APPS = ["django.contrib.contenttypes"]

DATABASES = {
    "default": {  # want "the stack can hold at least 112 PostgreSQL connections at once, more than the 97 usable \\(max_connections = 100, assumed: PostgreSQL's default, as db.example.com is not in this stack; declare it: infrastructure.postgres.db.example.com.max_connections; 3 reserved for superusers\\).*web 8 workers \\+ daphne 1 process \\+ celery_ai 100 greenlets \\+ celery_heavy 2 processes \\+ celery_beat 1 process = at least 112" # related "Dockerfile:4: web: 8 connections" "docker-compose.yml:\\d+: celery_ai: 100 connections" "celery_beat: 1 connection"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.example.com",
        "CONN_MAX_AGE": 0,
    }
}
