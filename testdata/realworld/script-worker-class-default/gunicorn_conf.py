import os

bind = os.getenv("BIND", "0.0.0.0:80")
workers = int(os.getenv("WORKERS", "8"))
max_requests = 1000
max_requests_jitter = 50
timeout = int(os.getenv("TIMEOUT", "60"))
keepalive = int(os.getenv("KEEP_ALIVE", "5"))
