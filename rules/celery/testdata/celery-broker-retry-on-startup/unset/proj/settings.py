import os

DATABASES = {}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://redis:6379/0")  # want "RETRY_ON_STARTUP is not set \\(Celery 5.4.0\\)"
CELERY_TASK_ROUTES = {
    "chat.tasks.generate_reply": {"queue": "ai_queue"},
}

STATIC_URL = "/static/"
