DATABASES = {}

REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_RATES": {
        "otp": "5/10m",  # want "\"10m\" is read as \"1\" and raises KeyError.*\"5/hour\" keeps the burst"
        "burst": "10/month",  # want "read as 10 per minute"
        "weekly": "5/week",  # want "\"w\" is not s, m, h or d"
        "sms": "3/30s",  # want "\"3/minute\" keeps the burst"
        "minute": "5/60s",  # want "\"5/minute\" is the same rate"
        "twodays": "5/2d",  # want "\"2d\" is read as \"2\""
        "odd": "many",  # want "is not \"<count>/<period>\""
        "ok": "60/min",
    },
}
