#!/bin/bash

# Start the Django backend server
uvicorn --host=0.0.0.0 --timeout-graceful-shutdown=300 --lifespan=off app.asgi:application &

# Start the Nginx server
bin/run & # want "runs bin/run, which is not in the repository"

wait -n
