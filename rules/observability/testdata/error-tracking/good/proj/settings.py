import os

import sentry_sdk

DATABASES = {}
INSTALLED_APPS = ["rest_framework"]

if os.environ.get("SENTRY_DSN"):
    sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], traces_sample_rate=0.05)
