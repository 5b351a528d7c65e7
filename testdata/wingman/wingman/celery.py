"""Celery app for wingman: configured from Django's settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wingman.settings")

app = Celery("wingman")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
