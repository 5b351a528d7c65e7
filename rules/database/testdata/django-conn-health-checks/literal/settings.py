DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "CONN_MAX_AGE": 600,  # want "keeps connections open \\(CONN_MAX_AGE = 600\\) without CONN_HEALTH_CHECKS"
    },
}
