import os

from django.db import connection

from wingman.celery import app

from .models import Message


@app.task
def generate_reply(ms):
    """ai_queue (settings.CELERY_TASK_ROUTES): an ORM query, then the
    connection held for ms milliseconds, as a task waiting on the model's
    answer inside a transaction would."""
    pending = Message.objects.filter(processing_status=Message.ProcessingStatus.PENDING).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [ms / 1000.0])
    return pending
