import os

SECRET_KEY = os.environ.get("SECRET_KEY", "dev")

# Connection pooling (psycopg 3), off unless DB_POOL_ENABLED=true.
DB_POOL_ENABLED = os.environ.get("DB_POOL_ENABLED", "False").lower() == "true"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DBNAME", "crm_db"),
        "HOST": os.environ.get("DBHOST", "db"),
        "PORT": os.environ.get("DBPORT", "5432"),
        # Django refuses a non-zero value alongside a pool. Keep it 0.
        # want "HR201 DATABASES..default.. CONN_MAX_AGE is 0: every request opens a new database connection"
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 5},
    }
}

if DB_POOL_ENABLED:
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 2,
        "max_size": 10,
    }
