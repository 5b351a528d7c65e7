#!/usr/bin/env bash
set -euo pipefail
python manage.py migrate --noinput
exec granian --interface asgi app.asgi:application --host 0.0.0.0 --port 8000 --workers 1
