import os

from proj.base import *  # noqa: F401,F403

# Through PgBouncer in transaction mode: the worker's 8 children connect to
# PgBouncer, which holds at most DEFAULT_POOL_SIZE server connections.
DATABASES["default"]["HOST"] = os.environ.get("DB_HOST", "pgbouncer")
DATABASES["default"]["PORT"] = os.environ.get("DB_PORT", "6432")
DATABASES["default"]["CONN_MAX_AGE"] = 0
