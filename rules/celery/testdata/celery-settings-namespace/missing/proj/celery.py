import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")
app.config_from_object("django.conf:settings")  # want "has no namespace=\"CELERY\""
app.autodiscover_tasks()
