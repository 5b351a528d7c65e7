DATABASES = {}
CELERY_BROKER_URL = "redis://redis:6379/0"
# views.py reads .state and .info: results are read
CELERY_RESULT_BACKEND = "redis://redis:6379/0"
