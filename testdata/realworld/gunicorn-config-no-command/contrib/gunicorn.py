# The app's gunicorn settings. The systemd unit in contrib/ starts gunicorn
# with --config pointing here; nothing in the repository runs it.

# want "HR102 this gunicorn config sets no max_requests"
bind = "127.0.0.1:8001"

# Workers and threads for a 2-CPU virtual machine.
workers = 5
threads = 3

# Long requests (exports, reports) need more than the 30 s default.
timeout = 120
