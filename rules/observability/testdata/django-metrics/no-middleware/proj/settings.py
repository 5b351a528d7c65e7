DATABASES = {}
INSTALLED_APPS = ["django_prometheus", "rest_framework"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]  # want "MIDDLEWARE lacks django_prometheus.middleware.PrometheusBeforeMiddleware and django_prometheus.middleware.PrometheusAfterMiddleware"
