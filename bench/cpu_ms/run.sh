#!/usr/bin/env bash
# Measures report.cpu_ms, the CPU time one Django request takes, for the
# report's default (report/estimate.go DefaultCPUMS).
#
#   bench/cpu_ms/run.sh        (Debian: python3-django 3.2, gunicorn 20.1)
#
# Serves app.py (a JSON list of 50 rows from SQLite, and the same list
# read with an N+1 of 51 queries) under Debian's gunicorn, one sync
# worker, and sends REQUESTS requests (default 2000, after 200 of warm-up)
# to each view, one at a time from a separate client process. Prints,
# per view, two figures in ms per request:
#   - view: time.process_time() around the view, summed in the worker;
#   - worker: the worker process's CPU seconds (utime + stime from
#     /proc/<pid>/stat) over the requests, which adds gunicorn's parsing
#     and Django's request handling outside the view.
# Environment: REQUESTS, WARMUP, PORT (default 8765), PYTHON (default
# /usr/bin/python3, Debian's, where python3-django is installed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
REQUESTS=${REQUESTS:-2000}
WARMUP=${WARMUP:-200}
PORT=${PORT:-8765}
PYTHON=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'kill "$gpid" 2>/dev/null || true; rm -rf "$work"' EXIT
export BENCH_DB=$work/bench.sqlite3
"$PYTHON" "$here/app.py" seed
cd "$here"
"$PYTHON" -m gunicorn --workers 1 --worker-class sync --bind "127.0.0.1:$PORT" \
	--access-logfile /dev/null app:application >"$work/gunicorn.log" 2>&1 &
gpid=$!
for _ in $(seq 50); do
	"$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/stats/')" 2>/dev/null && break
	sleep 0.2
done
"$PYTHON" - "$PORT" "$REQUESTS" "$WARMUP" <<'PY'
import json, os, sys, urllib.request
port, n, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
tick = os.sysconf("SC_CLK_TCK")

def stats():
    return json.load(urllib.request.urlopen(base + "/stats/"))

def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick  # utime, stime

print("| view | queries | requests | view CPU ms/request | worker CPU ms/request |")
print("|---|---|---|---|---|")
for path, queries in (("/items/", 1), ("/items-n1/", 51)):
    for _ in range(warm):
        urllib.request.urlopen(base + path).read()
    s0 = stats(); c0 = cpu(s0["pid"])
    for _ in range(n):
        urllib.request.urlopen(base + path).read()
    s1 = stats(); c1 = cpu(s1["pid"])
    reqs = s1["requests"] - s0["requests"]
    view = (s1["seconds"] - s0["seconds"]) / reqs * 1000
    worker = (c1 - c0) / n * 1000  # n view requests, plus one /stats/ call
    print(f"| {path} | {queries} | {reqs} | {view:.2f} | {worker:.2f} |")
PY
