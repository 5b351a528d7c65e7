DATABASES = {}
CELERY_BROKER_URL = "redis://redis:6379/0"
# results are read through a subclass of AsyncResult (jobs/results.py):
# storing them is wanted
CELERY_RESULT_BACKEND = "redis://redis:6379/0"
