"""The URLs the model check loads and compares before and after the fix."""
from django.urls import path

from . import checkviews

urlpatterns = [
    path("db/", checkviews.db),
    path("cache/", checkviews.cached),
]
