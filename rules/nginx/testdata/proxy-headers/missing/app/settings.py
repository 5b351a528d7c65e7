INSTALLED_APPS = ["django.contrib.contenttypes"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # want "SECURE_PROXY_SSL_HEADER trusts X-FORWARDED-PROTO, but nginx does not set it in 1 proxying location.*do not terminate TLS.*\\$http_x_forwarded_proto.*not \\$scheme" # related "nginx/nginx.conf:11: location /api/ does not set X-FORWARDED-PROTO"
USE_X_FORWARDED_HOST = True  # want "USE_X_FORWARDED_HOST trusts X-Forwarded-Host, but nginx does not set it in 2 proxying location" # related "nginx/nginx.conf:6: location / does not set X-Forwarded-Host"
