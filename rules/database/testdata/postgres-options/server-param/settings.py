DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "connect_timeout": 10,
            "keepalives": 0,
            # want "\"max_connections\" is a server-wide PostgreSQL parameter"
            "options": "-c max_connections=500 -c search_path=app,public -c myapp.tenant=1",
        },
    },
}
