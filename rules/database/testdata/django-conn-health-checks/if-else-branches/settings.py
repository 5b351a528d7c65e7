import os

import dj_database_url

# Either branch may be what production runs: both are judged.
if "DATABASE_URL" in os.environ:
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)  # want "without CONN_HEALTH_CHECKS"
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.getenv("DATABASE_HOST", "db"),
            "CONN_HEALTH_CHECKS": True,
        }
    }
