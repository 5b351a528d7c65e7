DATABASES = {}

REST_FRAMEWORK = {
    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.UserRateThrottle'],
    'DEFAULT_THROTTLE_RATES': {
        'anon': '100/hour',  # want "scope \"anon\" has a rate but no throttle class uses it"
        'user': '10000/hour',
        'premium': '50000/hour',  # want "scope \"premium\" has a rate but no throttle class uses it"
        'chat': '60/minute',  # want "no \"chat_premium\" tier"
    },
}
