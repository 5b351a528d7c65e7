import os

max_age = int(os.environ.get("DB_CONN_MAX_AGE", 60))
# -1 turns persistent connections off; 60 s where the variable is unset.
DB_CONN_MAX_AGE = 0 if max_age == -1 else max_age
DB_CONN_HEALTH_CHECKS = bool(os.environ.get("DB_CONN_HEALTH_CHECKS", False))

if "DB_NAME" in os.environ:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["DB_NAME"],
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": DB_CONN_HEALTH_CHECKS,  # want "with CONN_HEALTH_CHECKS off"
        },
    }
