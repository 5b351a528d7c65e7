import dj_database_url

# base.py is not in the repository: DATABASES comes from it, and this line
# replaces its default alias whatever base.py wrote there
from .base import *  # noqa

DATABASES['default'] = dj_database_url.config()  # want "CONN_MAX_AGE is not set"
