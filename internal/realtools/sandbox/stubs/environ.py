"""A stand-in for django-environ's Env: reads os.environ with the same
casting helpers, so settings under test load without the package."""

import os

import dj_database_url


class ImproperlyConfigured(Exception):
    pass


NOTSET = object()


class Env:
    def __init__(self, **scheme):
        self.scheme = scheme

    @staticmethod
    def read_env(*args, **kwargs):
        pass

    def get_value(self, var, cast=None, default=NOTSET):
        if var in os.environ:
            value = os.environ[var]
        elif default is not NOTSET:
            return default
        elif var in self.scheme and isinstance(self.scheme[var], tuple):
            cast, value = self.scheme[var]
            return value
        else:
            raise ImproperlyConfigured("Set the %s environment variable" % var)
        if cast is bool:
            return value.lower() in ("true", "on", "ok", "y", "yes", "1")
        if cast in (list, tuple):
            return cast(v for v in value.split(",") if v)
        return cast(value) if cast else value

    def __call__(self, var, cast=None, default=NOTSET, parse_default=False):
        return self.get_value(var, cast, default)

    def str(self, var, default=NOTSET, multiline=False):
        return self.get_value(var, str, default)

    def bool(self, var, default=NOTSET):
        return self.get_value(var, bool, default)

    def int(self, var, default=NOTSET):
        return self.get_value(var, int, default)

    def float(self, var, default=NOTSET):
        return self.get_value(var, float, default)

    def list(self, var, cast=None, default=NOTSET):
        return self.get_value(var, list, default)

    def db_url(self, var="DATABASE_URL", default=NOTSET, engine=None):
        url = self.get_value(var, None, default)
        return dj_database_url.parse(url, engine=engine) if url else {}

    db = db_url

    def cache_url(self, var="CACHE_URL", default=NOTSET, backend=None):
        url = self.get_value(var, None, default)
        return {"BACKEND": backend or "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url}

    cache = cache_url
