from django.urls import path

from validate.views import wait

urlpatterns = [path("", wait)]
