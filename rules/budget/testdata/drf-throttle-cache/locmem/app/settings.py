INSTALLED_APPS = ["django.contrib.contenttypes", "rest_framework"]
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": [  # want "DRF throttling is on but CACHES is not set, so the default cache is Django's LocMemCache: each process counts separately.*4 processes serve requests" # related "docker-compose.yml:4: web: 4 processes serving requests"
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": "60/minute"},
}
