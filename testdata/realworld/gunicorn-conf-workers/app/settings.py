import os

SECRET_KEY = os.environ.get("SECRET_KEY", "dev")

DATABASES = {
    "default": {  # want "HR901 .*the stack can hold 120 PostgreSQL connections at once, more than the 97 usable \\(max_connections = 100; 3 reserved for superusers\\).*: web 120 workers = 120" # related "docker-compose.yml:4: db: PostgreSQL's default max_connections = 100"
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "HOST": "db",
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "connect_timeout": 10,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 5,
        },
    }
}
