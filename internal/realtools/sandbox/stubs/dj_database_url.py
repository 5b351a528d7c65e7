"""A stand-in for dj-database-url with its call signature: settings under
test load without the package, and its result is the dict Django reads."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

SCHEMES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
    "sqlite": "django.db.backends.sqlite3",
}


def parse(url, engine=None, conn_max_age=0, conn_health_checks=False,
          ssl_require=False, test_options=None, disable_server_side_cursors=False):
    parts = urlsplit(url)
    config = {
        "NAME": unquote(parts.path[1:] if parts.path.startswith("/") else parts.path),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": conn_health_checks,
        "DISABLE_SERVER_SIDE_CURSORS": disable_server_side_cursors,
        "ENGINE": engine or SCHEMES.get(parts.scheme, "django.db.backends.postgresql"),
    }
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if ssl_require:
        options["sslmode"] = "require"
    if options:
        config["OPTIONS"] = options
    if test_options:
        config["TEST"] = test_options
    return config


def config(env="DATABASE_URL", default=None, **kwargs):
    url = os.environ.get(env, default)
    return parse(url, **kwargs) if url else {}
