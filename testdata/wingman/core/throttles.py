"""Throttles for the scopes of REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class OTPRateThrottle(AnonRateThrottle):
    scope = "otp"


class ChatRateThrottle(UserRateThrottle):
    scope = "chat"


class AIRateThrottle(UserRateThrottle):
    scope = "ai"
