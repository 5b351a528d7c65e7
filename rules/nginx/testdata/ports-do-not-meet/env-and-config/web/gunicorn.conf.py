# read by default from the working directory: no -c needed
bind = "0.0.0.0:8000"
