workers = 2
timeout = 60
max_requests = 1000
max_requests_jitter = 50
