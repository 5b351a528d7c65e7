from server.settings.components.database import DATABASES

# want "HR202 .* keeps connections open .CONN_MAX_AGE = 60. without CONN_HEALTH_CHECKS"
DATABASES["default"]["CONN_MAX_AGE"] = 60
