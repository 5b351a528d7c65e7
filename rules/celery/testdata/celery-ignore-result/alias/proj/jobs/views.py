from celery.result import AsyncResult as JobResult
from django.http import JsonResponse


def job_status(request, job_id):
    job = JobResult(job_id)
    return JsonResponse({"done": job.ready()})
