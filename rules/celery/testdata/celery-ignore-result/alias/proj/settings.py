DATABASES = {}
CELERY_BROKER_URL = "redis://redis:6379/0"
# results are read through AsyncResult imported as JobResult (jobs/views.py):
# storing them is wanted
CELERY_RESULT_BACKEND = "redis://redis:6379/0"
