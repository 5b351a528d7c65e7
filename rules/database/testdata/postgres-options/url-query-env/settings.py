import environ

env = environ.Env()

# env.db() reads DATABASE_URL, which the compose file sets: its query is
# OPTIONS, so the libpq keys go into that URL
DATABASES = {"default": env.db()}
