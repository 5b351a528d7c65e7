bind = "0.0.0.0:8000"
worker_class = "gevent"
workers = 8
worker_connections = 50
max_requests = 1000
max_requests_jitter = 50
timeout = 60


def post_fork(server, worker):
    worker.log.info("worker %s started", worker.pid)
