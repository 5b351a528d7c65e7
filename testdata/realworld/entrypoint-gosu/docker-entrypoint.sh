#!/bin/sh
set -e

python manage.py migrate --noinput

# want "HR102 no --max-requests" "HR101 gunicorn runs 2 worker processes"
exec gosu app gunicorn app.wsgi:application --workers 2 \
    --bind 0.0.0.0:8000 \
    --timeout 120 \
    "$@"
