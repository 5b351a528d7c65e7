DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "connect_timeout": 10,
            "keepalives": 0,
            # transaction_timeout is a PostgreSQL 17 parameter: the postgres:15 server refuses it
            # want "\"transaction_timeout\" does not exist in the PostgreSQL 15 the stack runs: it is not a parameter of PostgreSQL 15 or earlier"
            "options": "-c statement_timeout=30000 -c transaction_timeout=60000 -c idle_session_timeout=600000",
        },
    },
}
