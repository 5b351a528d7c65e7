DATABASES = {}

REST_FRAMEWORK = {
    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.UserRateThrottle'],
    'DEFAULT_THROTTLE_RATES': {
        'user': '10000/hour',
        'premium': '50000/hour',
        'uploads': '20/day',
    },
}
