#!/bin/sh
set -e

TANDOOR_PORT="${TANDOOR_PORT:-8080}"

echo "Migrating database"
python manage.py migrate

echo "Collecting static files"
python manage.py collectstatic --noinput

echo "Starting gunicorn"
exec gunicorn -b ":${TANDOOR_PORT}" \
    --workers "${GUNICORN_WORKERS:-3}" \
    --threads "${GUNICORN_THREADS:-2}" \
    --max-requests 1000 --max-requests-jitter 50 \
    --timeout 120 \
    --access-logfile - --error-logfile - \
    recipes.wsgi
