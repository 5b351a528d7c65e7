from .base import *  # noqa: F403
from .base import DATABASES
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])

# want "HR201 DATABASES..default.. CONN_MAX_AGE is 0 unless .CONN_MAX_AGE is set"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
