"""Settings assembled from components (django-split-settings)."""
from split_settings.tools import include, optional

include(
    "components/*.py",
    optional("environments/production.py"),
)
