from configurations import Configuration, values


class Base(Configuration):
    DATABASES = {}
    CELERY_TASK_ALWAYS_EAGER = values.BooleanValue(False, environ_prefix=None)


class Production(Base):
    CELERY_BROKER_URL = values.Value("redis://redis:6379/0", environ_prefix=None)  # want "RETRY_ON_STARTUP is not set \\(Celery 5.4.0\\)"
    CELERY_TASK_DEFAULT_QUEUE = "default"

    def post_setup(self):
        super().post_setup()


class Staging(Production):
    pass
