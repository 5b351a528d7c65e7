from pathlib import Path

import dj_database_url
from environ import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = env("SECRET_KEY", default="dev")

# SQLite unless $DATABASE_URL names another database.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DATABASES["default"].update(
    # want "HR202 .*without CONN_HEALTH_CHECKS = True.*set conn_health_checks=True in the dj_database_url.config.. call"
    dj_database_url.config(env="DATABASE_URL", conn_max_age=env.int("DATABASE_CONN_MAX_AGE", 500))
)
