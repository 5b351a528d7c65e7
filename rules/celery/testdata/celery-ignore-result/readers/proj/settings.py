DATABASES = {}
CELERY_BROKER_URL = "redis://redis:6379/0"
# code reads results (AsyncResult, .get()): storing them is wanted
CELERY_RESULT_BACKEND = "redis://redis:6379/0"
