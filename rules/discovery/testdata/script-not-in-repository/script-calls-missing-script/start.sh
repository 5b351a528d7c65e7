#!/bin/sh
set -e
./scripts/wait-for-db  # want "runs ./scripts/wait-for-db, which is not in the repository \\(no COPY, ADD or bind mount headroom can resolve puts it there from the repository, and no file called wait-for-db is in .\\)"
python manage.py migrate --noinput
exec gunicorn app.wsgi --workers 8 --timeout 60
