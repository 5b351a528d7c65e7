import os

import dj_database_url
import environ

env = environ.Env()

SECRET_KEY = os.environ.get("SECRET_KEY", "dev")

# dj_database_url will pull from the DATABASE_URL environment variable
DATABASES = {
    # want "HR203 .*the default database URL .used where .DATABASE_URL is unset.* lacks connect_timeout, keepalives, keepalives_idle"
    "default": dj_database_url.config(default="postgres://app@db:5432/app", conn_max_age=600, conn_health_checks=True),
    "replica": env.db("REPLICA_DATABASE_URL", default="postgres://app@db:5432/app"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["replica"]["CONN_MAX_AGE"] = 600
DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
