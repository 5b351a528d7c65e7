bind = "0.0.0.0:8000"
workers = 8
worker_class = "gthread"
threads = 4
timeout = 60
keepalive = 75
max_requests = 1000
max_requests_jitter = 50
