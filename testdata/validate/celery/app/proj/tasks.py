from django.db import connection

from .celery import app


@app.task
def hold(ms):
    """Query, then hold the connection for ms milliseconds, as a task
    doing ORM work does."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        cur.execute("SELECT pg_sleep(%s)", [ms / 1000.0])
    return ms
