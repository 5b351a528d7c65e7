INSTALLED_APPS = ["django.contrib.contenttypes"]
DATABASES = {
    "default": {  # want "can hold 30 PostgreSQL connections at once, more than the 22 usable \\(max_connections = 25; 3 reserved.*web 3 replicas x 5 workers x 2 threads \\(30\\) = 30" # related "docker-compose.yml:9: db: max_connections = 25" "web: 30 connections .*gthread with 2 threads"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 600,
    }
}
