from django.urls import path

from validate.views import between, hold

urlpatterns = [path("", hold), path("between", between)]
