"""A one-file Django 3.2 project for bench/cpu_ms/run.sh.

/items/      a JSON list of 50 rows from SQLite, one query (select_related)
/items-n1/   the same list read with an N+1: 1 query for the rows, then one
             per row for its owner (51 queries)
/stats/      this worker's CPU seconds (time.process_time()) spent inside the
             two views, and the number of requests served, so run.sh can
             divide them; the worker's whole CPU time is read from
             /proc/<pid>/stat by run.sh as well.
"""
import os
import sys
import time

from django.conf import settings

HERE = os.path.dirname(os.path.abspath(__file__))
DB = os.environ.get("BENCH_DB", os.path.join(HERE, "bench.sqlite3"))

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "bench_items"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB}},
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    USE_TZ=True,
)
sys.modules.setdefault("bench_items", sys.modules[__name__])

import django  # noqa: E402
from django.apps import AppConfig  # noqa: E402


class BenchItems(AppConfig):
    name = "bench_items"
    label = "bench_items"
    path = HERE


default_app_config = "bench_items.BenchItems"
django.setup()

from django.db import models  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


class Owner(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "bench_items"


class Item(models.Model):
    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    created = models.DateTimeField(auto_now_add=True)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE)

    class Meta:
        app_label = "bench_items"


CPU = {"seconds": 0.0, "requests": 0}


def row(i, owner):
    return {"id": i.id, "title": i.title, "price": str(i.price), "created": i.created.isoformat(), "owner": owner}


def measured(view):
    def wrapped(request):
        t = time.process_time()
        resp = view(request)
        CPU["seconds"] += time.process_time() - t
        CPU["requests"] += 1
        return resp
    return wrapped


@measured
def items(request):
    qs = Item.objects.select_related("owner").order_by("id")[:50]
    return JsonResponse({"items": [row(i, i.owner.name) for i in qs]})


@measured
def items_n1(request):
    qs = Item.objects.order_by("id")[:50]
    return JsonResponse({"items": [row(i, Owner.objects.get(pk=i.owner_id).name) for i in qs]})


def stats(request):
    return JsonResponse({"pid": os.getpid(), **CPU})


urlpatterns = [path("items/", items), path("items-n1/", items_n1), path("stats/", stats)]


def seed():
    from django.db import connection
    with connection.schema_editor() as ed:
        ed.create_model(Owner)
        ed.create_model(Item)
    owners = [Owner.objects.create(name=f"owner {n}") for n in range(50)]
    Item.objects.bulk_create([Item(title=f"item {n}", price=n + 0.99, owner=owners[n]) for n in range(50)])


from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

if __name__ == "__main__" and sys.argv[1:] == ["seed"]:
    seed()
