import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")
# no namespace: Celery reads its old upper-case names, and every CELERY_ name here is one
app.config_from_object("django.conf:settings")
app.autodiscover_tasks()
