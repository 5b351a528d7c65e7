DATABASES = {
    # want "OPTIONS lacks connect_timeout, keepalives, keepalives_idle, keepalives_interval, keepalives_count"
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
    }
}
