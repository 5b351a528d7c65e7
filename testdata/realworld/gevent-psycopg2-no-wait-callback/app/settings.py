DATABASES = {
    "default": {  # want "HR201 DATABASES\\[\"default\"\\] CONN_MAX_AGE is not set .*gunicorn runs gevent workers"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "NAME": "app",
        "OPTIONS": {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3},
    }
}
