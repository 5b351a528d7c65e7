import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")
# CELERY_RESULT_BACKEND is read as an old name, CELERY_BROKER_URL is not
app.config_from_object("django.conf:settings")  # want "Celery ignores CELERY_BROKER_URL and 1 more of proj/settings.py .*; it still reads CELERY_RESULT_BACKEND, under their old names"
app.autodiscover_tasks()
