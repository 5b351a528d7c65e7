from validate.base import *  # noqa: F401,F403

DATABASES["default"]["CONN_MAX_AGE"] = 0
