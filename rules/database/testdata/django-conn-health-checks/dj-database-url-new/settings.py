import dj_database_url

DATABASES = {
    "default": dj_database_url.config(
        default="postgres://app@db/app",
        conn_max_age=600,  # want "without CONN_HEALTH_CHECKS"
    ),
}
