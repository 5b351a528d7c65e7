from django.db import connection

from wingman.celery import app

from .models import Tone


@app.task
def transcode_media(ms):
    """heavy_queue (settings.CELERY_TASK_ROUTES): an ORM query, then the
    connection held for ms milliseconds."""
    tones = Tone.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [ms / 1000.0])
    return tones
