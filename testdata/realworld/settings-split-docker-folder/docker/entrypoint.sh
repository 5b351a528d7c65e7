#!/usr/bin/env bash
set -euo pipefail

python manage.py migrate --noinput
python manage.py collectstatic --noinput

exec gunicorn taiga.wsgi:application \
    --name taiga_api \
    --bind 0.0.0.0:8000 \
    --workers 8 \
    --timeout 60 \
    --max-requests 1000 --max-requests-jitter 50 \
    --worker-tmp-dir /dev/shm \
    --access-logfile - \
    "$@"
