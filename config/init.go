package config

// Template is what `headroom init` writes: every setting at its default,
// with what it does. It parses to exactly Default().
const Template = `# headroom configuration: https://github.com/headroom-dev/headroom#configuration
# yaml-language-server: $schema=https://raw.githubusercontent.com/headroom-dev/headroom/main/headroom.schema.json

# Rules to run (IDs, names or ID prefixes such as HR4); empty means all.
select: []
# Rules never to run.
ignore: []

# Rules to ignore in some files (globs relative to this file; ** matches folders).
per-path: []
#  - paths: ["deploy/legacy/**"]
#    ignore: [HR101]

# Severity overrides: error, warning or info. lint --fail-on decides which fail.
severity: {}
#  HR402: error

# The values fixes write. The defaults are the capacity report's.
targets:
  # gunicorn/uvicorn worker processes (HR101): a number, or auto for
  # 2 x the compose CPU limit + 1 where the limit is known.
  workers: 8
  # Memory one worker process is taken to use, MiB: HR101 keeps workers x
  # this within a container's memory limit (deploy.resources.limits.memory
  # or mem_limit).
  worker_memory_mb: 256
  max_requests: 1000        # HR102
  max_requests_jitter: 50   # HR102
  timeout: 60               # HR103, seconds
  conn_max_age: 600         # HR201 under WSGI, seconds
  redis_max_connections: 200  # HR301, per process
  redis_socket_timeout: 5   # HR302, seconds
  upstream_keepalive: 32    # HR401, idle connections per nginx worker
  gzip_types: [text/plain, text/css, application/json, application/javascript, text/javascript]  # HR402
  gzip_min_length: 1000     # HR402, bytes

# The assumptions of headroom report's capacity estimate, per web request,
# in milliseconds: replace them with measured figures (nginx's $request_time,
# an APM's database and CPU spans). --request-ms, --db-ms, --cpu-ms win.
report:
  request_ms: 100   # mean time of a request, end to end
  # db_ms: 30       # of which holding a PostgreSQL connection (default: 30% of request_ms)
  # cpu_ms: 10       # of which running Python on a CPU (default: 10, shown as assumed; 0: the CPU is not judged)

# What lives outside this repository. Where no file states a limit,
# headroom assumes the server's default and says so, naming the key
# below that replaces it (headroom model lists every assumption).
# A declared value wins over the default and over what compose says.
# infrastructure:
#   postgres:
#     host.docker.internal:        # the HOST as the settings name it; default for any other
#       max_connections: 500
#       superuser_reserved_connections: 3   # PostgreSQL's default
#   redis:
#     cache.example.internal:      # the host of the Redis URL; default for any other
#       maxclients: 10000
#   services:                      # where compose does not say (Kubernetes, ECS, a PaaS)
#     web: {replicas: 4, cpus: 2, memory: 2GiB}
`
