import environ

env = environ.Env()

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": env("DB_HOST", default="db"),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=0),  # want "0 unless \\$CONN_MAX_AGE is set"
    },
}
