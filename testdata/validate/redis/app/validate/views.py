import os
import time

from django.core.cache import cache
from django.http import HttpResponse
from django_redis import get_redis_connection
from redis.exceptions import ConnectionError

# The time one Redis command holds its connection (BLPOP on a key nothing
# pushes to waits that long inside Redis, as a slow command would).
HOLD_MS = int(os.environ["HOLD_MS"])


def redis_error(e):
    # redis-py's own message, logged for the test to read, and a 503.
    # One write(2) per line, so lines of concurrent threads do not mix.
    os.write(2, f"redis-error {type(e).__module__}.{type(e).__name__}: {e}\n".encode())
    return HttpResponse(f"{type(e).__name__}: {e}\n", status=503, content_type="text/plain")


def hold(request):
    """One command that holds its connection HOLD_MS."""
    try:
        cache.set("seen", os.getpid())
        get_redis_connection("default").blpop(["headroom-nothing"], timeout=HOLD_MS / 1000)
    except ConnectionError as e:
        return redis_error(e)
    return HttpResponse(f"held {HOLD_MS} ms, process {os.getpid()}\n", content_type="text/plain")


def between(request):
    """Two quick commands with HOLD_MS of other work between them: the
    connection goes back to the pool after each command."""
    try:
        cache.set("seen", os.getpid())
        time.sleep(HOLD_MS / 1000)
        cache.get("seen")
    except ConnectionError as e:
        return redis_error(e)
    return HttpResponse(f"between {HOLD_MS} ms, process {os.getpid()}\n", content_type="text/plain")
