"""Loads the settings under test through django.conf.settings, as Django
does when a process starts, and checks the values headroom edits have the
types Django needs. Runs with python3 -I and an empty environment: only the
sandbox and the stand-ins are importable besides Django itself."""

import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [here, os.path.join(here, "stubs")]
os.environ["DJANGO_SETTINGS_MODULE"] = "headroom_sandbox." + sys.argv[1]

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

problems = []


def want(cond, msg):
    if not cond:
        problems.append(msg)


dbs = settings.DATABASES  # imports the module: syntax, names, calls
want(isinstance(dbs, dict), "DATABASES is not a dict")
for alias, db in (dbs.items() if isinstance(dbs, dict) else []):
    where = "DATABASES[%r]" % alias
    want(isinstance(db, dict), where + " is not a dict")
    if not isinstance(db, dict):
        continue
    age = db.get("CONN_MAX_AGE", 0)
    want(age is None or (isinstance(age, int) and not isinstance(age, bool) and age >= 0),
         "%s CONN_MAX_AGE is %r: Django needs None or an int >= 0" % (where, age))
    want(isinstance(db.get("CONN_HEALTH_CHECKS", False), bool),
         "%s CONN_HEALTH_CHECKS is not a bool" % where)
    want(isinstance(db.get("OPTIONS", {}), dict), "%s OPTIONS is not a dict" % where)
    want(isinstance(db.get("ENGINE", ""), str), "%s ENGINE is not a str" % where)
caches = getattr(settings, "CACHES", {})
want(isinstance(caches, dict), "CACHES is not a dict")
for alias, cache in (caches.items() if isinstance(caches, dict) else []):
    where = "CACHES[%r]" % alias
    want(isinstance(cache, dict) and isinstance(cache.get("BACKEND", ""), str), where + " has no str BACKEND")
    if isinstance(cache, dict):
        want(isinstance(cache.get("OPTIONS", {}), dict), where + " OPTIONS is not a dict")
        t = cache.get("TIMEOUT", 300)
        want(t is None or isinstance(t, (int, float)), where + " TIMEOUT is not a number")
if not problems:
    from django.db import connections
    try:
        connections.settings  # Django fills in each alias's defaults
        for alias in connections:
            connections.settings[alias]
    except ImproperlyConfigured as e:
        problems.append(str(e))
if problems:
    print("\n".join(problems))
    sys.exit(1)
