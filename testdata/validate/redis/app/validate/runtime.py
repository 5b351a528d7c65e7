"""The settings the test serves: the case's settings with the cache's
address replaced by the test's Redis on 127.0.0.1 (REDIS_URL). headroom
reads validate/settings.py, where the address is the compose service's."""

import os

from validate.settings import *  # noqa: F401,F403

CACHES["default"]["LOCATION"] = os.environ["REDIS_URL"]  # noqa: F405
