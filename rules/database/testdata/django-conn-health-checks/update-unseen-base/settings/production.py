import dj_database_url

# base.py is not in the repository; whatever its DATABASES["default"] holds,
# the update below replaces CONN_MAX_AGE and CONN_HEALTH_CHECKS: the dict
# dj_database_url returns for a DATABASE_URL holds both (CONN_HEALTH_CHECKS
# False unless conn_health_checks says otherwise)
from .base import *  # noqa

db_from_env = dj_database_url.config(conn_max_age=500)  # want "CONN_MAX_AGE = 500. without CONN_HEALTH_CHECKS"
DATABASES['default'].update(db_from_env)
