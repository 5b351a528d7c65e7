INSTALLED_APPS = ["django.contrib.contenttypes"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True  # want "nginx sends X-Forwarded-Proto \\$scheme from servers that do not terminate TLS.*redirect loop" # related "nginx/nginx.conf:9: location / sends X-Forwarded-Proto \\$scheme"
