import dj_database_url

# want "the default database URL .used where .DATABASE_URL is unset.* lacks keepalives, keepalives_idle"
DATABASES = {"default": dj_database_url.config(default="postgres://db/app?connect_timeout=10")}
