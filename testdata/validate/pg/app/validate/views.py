import os

from django.db import connection
from django.http import HttpResponse

# The time one request holds its database connection: it queries first,
# then waits inside PostgreSQL (pg_sleep), as a slow query would.
HOLD_MS = int(os.environ["HOLD_MS"])


def hold(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
        cursor.execute("SELECT pg_sleep(%s)", [HOLD_MS / 1000])
    return HttpResponse(
        f"held {HOLD_MS} ms on backend {backend}, process {os.getpid()}\n",
        content_type="text/plain",
    )
