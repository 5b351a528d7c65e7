// Package e2e proves that `headroom fix --phase 3` leaves a stack serving.
//
// For each testdata stack with nginx in front of a gunicorn, uvicorn or
// daphne web server, the test runs the stack's own server command lines
// (program, options and workers as the Dockerfile or compose file writes
// them) and Debian's nginx with the stack's own configuration, then sends a
// fixed set of requests through nginx, once on a copy of the stack as
// committed and once on a copy fixed with `headroom fix --phase 3`. Status
// and body must be the same before and after, and nginx must pass `nginx -t`
// and start.
//
// The application module the command names is replaced by a minimal Django
// project (Debian's python3-django) whose one view echoes the method, path,
// Host header, X-Forwarded-Proto and request body, and which accepts
// WebSockets with a message naming the path and Host. The stacks' own code
// cannot run here: it needs packages Debian does not ship (channels, Django
// 5), Redis and PostgreSQL, and the test stacks hold only deployment files
// (wingman has no asgi.py). Django's own Host validation still applies, so a
// fix that changes the Host the backend sees into an invalid name shows as a
// 400.
//
// Everything runs inside private user, mount, network and PID namespaces
// (util-linux unshare): service names resolve to 127.0.0.1 through an
// /etc/hosts bind-mounted from the test's temporary folder, nginx's log and
// temp directories are tmpfs mounts, ports are bound on the namespace's own
// loopback, and every process dies with the namespace. The test runs only
// when HEADROOM_E2E=1 (make e2e sets it).
package e2e
