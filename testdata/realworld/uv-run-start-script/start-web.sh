#!/bin/sh
uv run -m manage migrate --noinput

# want "HR102 no --max-requests" "HR101 gunicorn runs 6 worker processes"
uv run --frozen gunicorn wsgi:application --bind 0.0.0.0:8000 --workers 6 --timeout 60
