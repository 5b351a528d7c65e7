import time

from wingman.celery import app

from .models import Message


@app.task
def generate_reply(ms):
    """ai_queue (settings.CELERY_TASK_ROUTES): an ORM query, then ms
    milliseconds waiting on the AI model's answer, as wingman's reply task
    does. The wait stands for the HTTP call to the model's API: network I/O,
    which gevent's monkey-patching (Celery's --pool=gevent) makes
    cooperative, so time.sleep, patched the same way, lets the other
    greenlets run while this one keeps its connection open (Celery's Django
    fixup closes it only after the task, at task_postrun)."""
    pending = Message.objects.filter(processing_status=Message.ProcessingStatus.PENDING).count()
    time.sleep(ms / 1000.0)
    return pending
