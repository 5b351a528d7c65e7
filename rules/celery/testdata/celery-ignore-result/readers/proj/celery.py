from celery import Celery
from celery.result import AsyncResult

app = Celery("proj")
app.config_from_object("django.conf:settings", namespace="CELERY")


def ping():
    res = app.send_task("proj.ping")
    return res.get(timeout=1)


def status(task_id):
    return AsyncResult(task_id).state


def quick(task):
    return task.delay(1).get()


def not_a_result(data):
    return data.get("x")
