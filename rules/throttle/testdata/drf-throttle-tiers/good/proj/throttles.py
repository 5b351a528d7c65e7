from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle


class PremiumRateThrottle(UserRateThrottle):
    scope = "premium"

    def allow_request(self, request, view):
        if not getattr(request.user, "is_premium", False):
            return True
        return super().allow_request(request, view)


class UploadView:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"
