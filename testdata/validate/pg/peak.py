"""Peak PostgreSQL backends per application_name while a load test runs.

Polls pg_stat_activity every 20 ms for the given seconds (libpq reads the
server from PGHOST/PGPORT/PGUSER) and prints {application_name: peak} as
JSON. Its own connection is named "headroom-peak" and left out.
"""
import json
import sys
import time

import psycopg2

seconds = float(sys.argv[1])
conn = psycopg2.connect(dbname="postgres", application_name="headroom-peak")
conn.autocommit = True
peak = {}
end = time.monotonic() + seconds
with conn.cursor() as cur:
    while time.monotonic() < end:
        cur.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND application_name <> 'headroom-peak'"
            " GROUP BY 1"
        )
        for name, n in cur.fetchall():
            peak[name] = max(peak.get(name, 0), n)
        time.sleep(0.02)
print(json.dumps(peak))
