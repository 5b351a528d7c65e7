import os

bind = "0.0.0.0:8000"
# want "HR101 gunicorn runs 2 worker processes \\(set by workers in gunicorn.conf.py\\)"
workers = int(os.getenv("WEB_CONCURRENCY", 2))
timeout = 60
max_requests = 1000
max_requests_jitter = 50
