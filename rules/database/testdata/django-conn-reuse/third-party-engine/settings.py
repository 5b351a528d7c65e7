DATABASES = {
    "default": {
        "ENGINE": "django_prometheus.db.backends.postgresql",  # a wrapper of Django's PostgreSQL backend
        "HOST": "db",
        "CONN_MAX_AGE": 0,  # want "CONN_MAX_AGE is 0"
    },
    # ClickHouse's backend is not one HR201 knows.
    "clickhouse": {
        "ENGINE": "clickhouse_backend.backend",
        "HOST": "clickhouse",
    },
}
