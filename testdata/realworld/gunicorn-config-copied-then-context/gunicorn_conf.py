bind = "0.0.0.0:8000"
worker_class = "uvicorn.workers.UvicornWorker"
# want "HR101 gunicorn runs 2 worker processes"
workers = 2
timeout = 60
max_requests = 1000
max_requests_jitter = 50
accesslog = "-"
