DATABASES = {}

REST_FRAMEWORK = {
    'DEFAULT_THROTTLE_CLASSES': [
        'rest_framework.throttling.AnonRateThrottle',
        'rest_framework.throttling.UserRateThrottle',
    ],
    'DEFAULT_THROTTLE_RATES': {
        'anon': '100/hour',
        'user': '10000/hour',  # want "no \"premium\" tier beside \"user\""
        'otp': '5/minute',
        'chat': '60/minute',  # want "no \"chat_premium\" tier"
        'ai': '20/minute',  # want "no \"ai_premium\" tier"
    },
}
