from django.http import JsonResponse

from .results import JobResult


def job_status(request, job_id):
    job = JobResult(job_id)
    return JsonResponse({"done": job.finished, "progress": job.progress})
