from celery.result import AsyncResult as TaskResult
from django.http import JsonResponse


def task_status(request, task_id):
    # The upload page polls this until the import task is done.
    task = TaskResult(task_id)
    ready = task.ready()
    error = ready and not task.successful()
    return JsonResponse(
        {
            "ready": ready,
            "result": task.result if ready and not error else None,
            "error": {"text": str(task.info)} if error else None,
        }
    )
