import os

DATABASES = {}

BROKER_URL = os.environ.get("RABBITMQ_URL", "amqp://rabbitmq")
BROKER_POOL_LIMIT = 1
CELERY_TASK_SERIALIZER = "json"  # want "BROKER_CONNECTION_RETRY_ON_STARTUP is not set \\(Celery 5.4.0\\)"

STATIC_URL = "/static/"
