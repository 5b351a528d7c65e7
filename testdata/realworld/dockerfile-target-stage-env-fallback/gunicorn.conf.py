import multiprocessing
import os

threads = 4
timeout = 90
max_requests = 1000
max_requests_jitter = 50

workers = os.environ.get("APP_GUNICORN_WORKERS", None)

if workers is not None:
    try:
        workers = int(workers)
    except ValueError:
        workers = None

if workers is None:
    workers = multiprocessing.cpu_count() * 2 + 1
