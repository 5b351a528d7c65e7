bind = "0.0.0.0:8000"
workers = 120
timeout = 60
max_requests = 1000
max_requests_jitter = 50
