#!/bin/sh
exec gunicorn --config wsgi/config.py
