DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {},  # want "OPTIONS lacks connect_timeout, keepalives_idle"
    },
}
DATABASES['default']['OPTIONS']['keepalives'] = 1
DATABASES['default']['OPTIONS']['keepalives_interval'] = 10
DATABASES['default']['OPTIONS']['keepalives_count'] = 5
