"""ASGI entry point (gunicorn's UvicornWorker and daphne serve it)."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wingman.settings")

application = get_asgi_application()
