from psycogreen.gevent import patch_psycopg

patch_psycopg()

import os  # noqa: E402

from celery import Celery  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
app = Celery("app")
app.config_from_object("django.conf:settings", namespace="CELERY")
