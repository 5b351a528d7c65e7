#!/bin/bash
set -euo pipefail

# want "HR101 gunicorn runs 3 worker processes"
GUNICORN_WORKERS=${GUNICORN_WORKERS:-3}

run_server() {
  exec gunicorn --workers="$GUNICORN_WORKERS" --timeout 60 \
    --max-requests 1000 --max-requests-jitter 50 app.wsgi:application
}

case "$1" in
  gunicorn)
    run_server
    ;;
  manage)
    exec python manage.py "${@:2}"
    ;;
  *)
    exec "$@"
    ;;
esac
