#!/bin/sh
set -e
# want "HR101 gunicorn runs 2 worker processes"
exec gunicorn app.wsgi --workers ${GUNICORN_WORKERS:-2} --timeout 60 --max-requests 1000 --max-requests-jitter 50
