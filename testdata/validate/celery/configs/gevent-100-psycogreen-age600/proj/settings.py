from proj.base import *  # noqa: F401,F403

DATABASES["default"]["CONN_MAX_AGE"] = 600

# psycopg2 blocks gevent's hub on every query unless a wait callback lets
# it yield: psycogreen's patch_psycopg sets one when the worker loads the
# settings (under --pool=gevent Celery has monkey-patched by then).
from psycogreen.gevent import patch_psycopg  # noqa: E402

patch_psycopg()
