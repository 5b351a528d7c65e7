import os
import time

from django.db import connection
from django.http import HttpResponse

# The time one request waits, as a request waiting on another service
# would: the process holds the request but not the CPU.
REQUEST_MS = int(os.environ["REQUEST_MS"])


def wait(request):
    time.sleep(REQUEST_MS / 1000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()")
        (version,) = cursor.fetchone()
    return HttpResponse(
        f"waited {REQUEST_MS} ms, SQLite {version}, process {os.getpid()}\n",
        content_type="text/plain",
    )
