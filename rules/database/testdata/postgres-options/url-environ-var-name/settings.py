import environ

env = environ.Env()

# want "default database URL .used where .PRIMARY_DATABASE_URL is unset.* lacks connect_timeout, keepalives,"
DATABASES = {"default": env.db("PRIMARY_DATABASE_URL", default="postgres://app@db:5432/app")}
