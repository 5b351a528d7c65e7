import dj_database_url

DATABASES = {"default": dj_database_url.config(default="postgres://db/app?connect_timeout=10")}
