import dj_database_url

DATABASES = {
    # want "CONN_MAX_AGE is not set"
    "default": dj_database_url.config(default="postgres://app@db/app"),
}
