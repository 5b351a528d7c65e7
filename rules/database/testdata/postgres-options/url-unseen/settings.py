import os

import dj_database_url

# Only the runtime sets DATABASE_URL, and a local default is a developer's
# database: the deployment's URL, which fills OPTIONS, is not in view.
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"]),
    "local": dj_database_url.config(env="LOCAL_DATABASE_URL", default="postgres:///app"),
    "loopback": dj_database_url.config(env="LOOP_DATABASE_URL", default="postgres://app@localhost:5432/app"),
}
