import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

if os.environ.get("DATABASE_URL"):
    # want "HR201 .* CONN_MAX_AGE is not set .*; conditional: set under a condition .mysite/settings.py line 17."
    DATABASES["default"] = dj_database_url.config(default="postgres://localhost/mysite")
