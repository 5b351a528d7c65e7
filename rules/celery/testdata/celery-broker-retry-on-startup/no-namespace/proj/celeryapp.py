import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")
# No namespace: Celery reads the settings by their old upper-case names.
app.config_from_object("django.conf:settings")
app.autodiscover_tasks()
