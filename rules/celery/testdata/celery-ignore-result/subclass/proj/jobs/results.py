from celery.result import AsyncResult


class JobResult(AsyncResult):
    """A task's result, with the job's own view of its state."""

    @property
    def finished(self):
        return self.ready()

    @property
    def progress(self):
        return (self.info or {}).get("progress", 0)
