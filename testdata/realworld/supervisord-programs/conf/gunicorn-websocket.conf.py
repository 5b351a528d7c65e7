bind = "unix:/tmp/gunicorn-websocket.sock"
worker_class = "gevent"
workers = 8
graceful_timeout = 0
