import os

DB_ENGINE = os.getenv("DB_ENGINE", "sqlite")

# The PostgreSQL branch is judged although the SQLite branch comes last.
if DB_ENGINE == "postgres":
    default_database = {  # want "CONN_MAX_AGE is not set"
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.getenv("DB_HOST", "db"),
    }
else:
    default_database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "db.sqlite3",
        "CONN_MAX_AGE": None,
    }

DATABASES = {"default": default_database}
