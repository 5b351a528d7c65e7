bind = ["0.0.0.0:8000"]
workers = 3
max_requests = 1000
max_requests_jitter = 50
timeout = 90
