import multiprocessing

# want "HR101 workers sizes gunicorn from the CPU count"
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gthread"
threads = 4
max_requests = 1200
max_requests_jitter = 60
