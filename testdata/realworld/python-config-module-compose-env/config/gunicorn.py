import os

workers = int(os.environ.get("WEB_CONCURRENCY", 4))
timeout = 90
max_requests = 1000
max_requests_jitter = 100
