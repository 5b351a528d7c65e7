bind = "0.0.0.0:8000"
# want "HR101 .*runs 3 worker processes"
workers = 3
timeout = 60
max_requests = 1000
max_requests_jitter = 50
