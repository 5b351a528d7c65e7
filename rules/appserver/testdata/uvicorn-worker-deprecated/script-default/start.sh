#! /usr/bin/env sh
set -e
# The class comes from the variable, with the deprecated one as the default.
export WORKER_CLASS=${WORKER_CLASS:-"uvicorn.workers.UvicornWorker"}
# want "uvicorn.workers.UvicornWorker \\(WORKER_CLASS: the default in start.sh, which nothing in view overrides\\) is deprecated since uvicorn 0.30"
exec gunicorn -k "$WORKER_CLASS" --workers 8 app.asgi:application
