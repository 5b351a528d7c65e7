from django.urls import path

from validate.views import hold

urlpatterns = [path("", hold)]
