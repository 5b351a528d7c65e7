DATABASES = {}
CELERY_TASK_ROUTES = {
    "chat.tasks.generate_reply": {"queue": "ai_queue"},
    "core.tasks.transcode_media": {"queue": "heavy_queue"},
}
