DATABASES = {}

REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_RATES": {
        "otp": "5/10m",  # want "\"10m\" is read as \"1\" and raises KeyError.*\"30/hour\" allows the same average"
        "burst": "10/month",  # want "read as 10 per minute"
        "weekly": "5/week",  # want "\"w\" is not s, m, h or d"
        "sms": "3/30s",  # want "\"6/minute\" allows the same average"
        "odd": "many",  # want "is not \"<count>/<period>\""
        "ok": "60/min",
    },
}
