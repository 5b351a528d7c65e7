"""WSGI entry point (settings.WSGI_APPLICATION names it)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wingman.settings")

application = get_wsgi_application()
