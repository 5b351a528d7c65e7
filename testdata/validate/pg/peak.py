"""Peak PostgreSQL backends per application_name while a load test runs.

Polls pg_stat_activity every 20 ms for the given seconds (libpq reads the
server from PGHOST/PGPORT/PGUSER) and prints {application_name: peak} as
JSON. Its own connection is named "headroom-peak" and left out.

With a second argument "open" it also prints, as "open:NAME", the peak of
the backends whose client end is still an established TCP connection in
/proc/net/tcp (the clients in the sampler's network namespace): a backend
whose client has closed (CONN_MAX_AGE 0) and which is still exiting counts
in the first peak, not in this one.

It also prints how busy the backends were: "samples" (the polls),
"active:NAME" (the backends of NAME in state active, summed over the
polls) and "active:NAME:PID" (the polls that found backend PID active):
two processes that each keep one connection (CONN_MAX_AGE > 0) and serve
one request at a time show, by backend, whether both were kept busy.
"""
import json
import sys
import time

import psycopg2

def established():
    """The local ports of established TCP connections to port 5432."""
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fs = line.split()
            if fs[3] == "01" and int(fs[2].rsplit(":", 1)[1], 16) == 5432:
                ports.add(int(fs[1].rsplit(":", 1)[1], 16))
    return ports


seconds = float(sys.argv[1])
want_open = sys.argv[2:3] == ["open"]
conn = psycopg2.connect(dbname="postgres", application_name="headroom-peak")
conn.autocommit = True
peak = {}
busy = {}
end = time.monotonic() + seconds
with conn.cursor() as cur:
    while time.monotonic() < end:
        cur.execute(
            "SELECT application_name, client_port, state, pid FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND application_name <> 'headroom-peak'"
        )
        rows = cur.fetchall()
        ports = established() if want_open else set()
        n = {}
        peak["samples"] = peak.get("samples", 0) + 1
        for name, port, state, pid in rows:
            n[name] = n.get(name, 0) + 1
            if state == "active":
                for key in ("active:" + name, "active:%s:%d" % (name, pid)):
                    busy[key] = busy.get(key, 0) + 1
            if want_open and port in ports:
                n["open:" + name] = n.get("open:" + name, 0) + 1
        for name, c in n.items():
            peak[name] = max(peak.get(name, 0), c)
        time.sleep(0.02)
peak.update(busy)
print(json.dumps(peak))
