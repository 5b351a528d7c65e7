INSTALLED_APPS = ["django.contrib.contenttypes"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # want "add proxy_set_header X-FORWARDED-PROTO \\$scheme there \\(nginx terminates TLS"
