"""Stand-in views: what wingman's API requests do to the database and the
cache, without its authentication (chat/views.py needs a JWT user)."""
import os

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from core.models import Tone

# How long a request holds its PostgreSQL connection after its ORM query.
HOLD_MS = int(os.environ.get("HOLD_MS", "200"))


def db(request):
    """The options view's query (chat/views.py), then the connection held
    in pg_sleep as a slow query would; the answer does not depend on the
    process or the backend, so it is the same before and after the fix."""
    tones = list(Tone.objects.filter(is_active=True).values_list("name", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [HOLD_MS / 1000])
    return HttpResponse("tones: " + ", ".join(tones) + "\n", content_type="text/plain")


def cached(request):
    """A read through django-redis, filled on the first request."""
    value = cache.get_or_set("headroom-check", "cached answer", 600)
    return HttpResponse(value + "\n", content_type="text/plain")
