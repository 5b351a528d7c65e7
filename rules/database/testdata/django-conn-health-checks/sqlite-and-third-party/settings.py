# A persistent SQLite connection is an open file: no server closes it.
# ClickHouse's backend is not one HR202 knows.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "db.sqlite3",
        "CONN_MAX_AGE": None,
    },
    "clickhouse": {
        "ENGINE": "clickhouse_backend.backend",
        "NAME": "events",
        "CONN_MAX_AGE": 60,
    },
}
