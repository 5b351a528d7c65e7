from rest_framework.throttling import UserRateThrottle, AnonRateThrottle


class OTPRateThrottle(AnonRateThrottle):
    scope = "otp"


class ChatRateThrottle(UserRateThrottle):
    scope = "chat"


class AIRateThrottle(UserRateThrottle):
    scope = "ai"
