// Package validate checks headroom's capacity model against a real load
// test (`make validate-model`).
//
// testdata/validate/app is a minimal Django project whose one view waits a
// fixed time (REQUEST_MS, a sleep: the process holds the request, not the
// CPU, as a request waiting on another service does) and then runs a
// query on SQLite. Each folder of testdata/validate/configs holds a
// Dockerfile whose CMD runs it under gunicorn with one configuration (2, 4
// and 8 sync workers; gthread with threads, on the command line or in a
// gunicorn.conf.py). For each, the test copies the app and that folder's
// files into a scratch folder and:
//
//   - asks `headroom report --format json --request-ms REQUEST_MS` for the
//     predicted throughput of the web service (Little's law: requests in
//     flight / mean request time);
//   - reads the gunicorn command line from the Dockerfile with headroom's
//     own stack loader, replaces the program with Debian's /usr/bin/gunicorn
//     and the bind address with a listening socket on 127.0.0.1 it hands
//     over (fd://3), and runs it with Debian's Django;
//   - loads it with internal/loadgen (twice as many clients as requests in
//     flight, at least 16, after a warm-up), each request on a connection
//     of its own as nginx's proxy_pass sends them by default, and for a
//     gthread worker a second time with kept-alive connections (shown, not
//     checked: see modes), and counts the worker processes gunicorn
//     actually started.
//
// It fails unless measured/predicted is within 25% at every checked point,
// no request failed, the model's process count is the one running, and the
// workers are what saturates; it prints the table (and with -update rewrites the README's
// Model check table from it). It runs only when HEADROOM_VALIDATE=1.
//
// TestConnectionsAgainstPostgres (`make validate-model-postgres`) starts
// Debian's PostgreSQL 15 on a unix socket in a scratch folder (as the
// postgres user when run as root), serves testdata/validate/pg/app (a view
// that queries, then holds its connection in pg_sleep) with each
// configuration of testdata/validate/pg/configs, each named by PGAPPNAME,
// and compares the peak backends pg_stat_activity shows for it (peak.py)
// with the PostgreSQL connections `headroom model --format json` counts,
// and the throughput with `headroom report --format json`, given the
// request time one client measured and the CPU time per request eight
// clients measured on the same stack first (calibrate). Cases today's
// model gets wrong are listed in knownModelGaps and knownThroughputGaps.
package validate
