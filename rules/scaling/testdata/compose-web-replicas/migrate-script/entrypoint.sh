#!/bin/sh
set -e
# every container migrates before it serves
python manage.py migrate --noinput
exec gunicorn proj.wsgi:application --bind 0.0.0.0:8000 --workers 8
