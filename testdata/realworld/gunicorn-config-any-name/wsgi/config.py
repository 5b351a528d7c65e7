from os import getenv

wsgi_app = "wsgi.app:application"
bind = f"0.0.0.0:{getenv('PORT', 8000)}"
# want "HR101 gunicorn runs 3 worker processes"
workers = int(getenv("WSGI_NUM_WORKERS", 3))
timeout = int(getenv("WSGI_TIMEOUT", 30))
max_requests = getenv("WSGI_MAX_REQUESTS", 1300)
max_requests_jitter = getenv("WSGI_MAX_REQUESTS_JITTER", 30)
