package appserver

import (
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// TimeoutRule is HR103.
var TimeoutRule = &rules.Rule{
	ID:       "HR103",
	Name:     "gunicorn-timeout",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
	Fixable:  true,
	Doc: rules.Doc{
		Title: "gunicorn runs with its default 30-second worker timeout",
		Why: `gunicorn's arbiter kills and restarts a worker that has not reported to it for
--timeout seconds (30 by default). What that means depends on the worker class.
Only the sync worker reports between requests, so only there is it a per-request
limit: any request slower than 30 s (a large export, a slow upstream API, an AI call)
gets its worker killed mid-response, the client sees a 502 and the work is lost.
The gthread worker reports from its main loop at least every second, whatever its
threads are doing (it waits on its poller or its futures for at most 1 s between two
notifications), so slow requests in its threads are never killed: --timeout is a
watchdog for a worker whose main loop is stuck. With Uvicorn (ASGI) workers, or gevent
and eventlet, the worker reports from its event loop: slow awaits are fine, and it
only kills a worker whose event loop is blocked (sync code called from async views,
CPU-bound work) for that long. Stating the timeout makes the limit a decision rather
than a default, and 60 s (the report's value) gives slow but legitimate requests room
under sync workers while still recycling a stuck worker. Per-request limits belong in
nginx (proxy_read_timeout) and in the app's own calls.`,
		Impact: "part of the report's change 1 (250-400 concurrent users): fewer 502s from workers killed during slow requests",
		Fix: `Adds --timeout 60 at the end of the gunicorn command, in its form. Safe: it only
raises the limit from the 30 s default. Quiet when --timeout is given (any value),
when a config file (-c) or GUNICORN_CMD_ARGS may set it, and for uvicorn run
directly, which has no such watchdog.`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8",
     "--timeout", "60"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#timeout",
			"https://docs.gunicorn.org/en/stable/design.html#async-workers",
			"https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/workers/gthread.py",
			"https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/workers/sync.py",
			"https://www.uvicorn.org/deployment/#gunicorn",
		},
		Since: "0.1.0",
	},
	Check: checkTimeout,
}

func init() { rules.Register(TimeoutRule) }

func checkTimeout(pass *rules.Pass) {
	for _, c := range commands(pass) {
		if !runsGunicorn(c) || unseen(pass, c) {
			continue
		}
		if st := pass.Stack.Setting(c, "timeout"); st.Source != stack.SourceDefault {
			continue
		}
		msg := "no --timeout: gunicorn kills a worker that is silent for 30 s (its default), so a request slower than that ends in a 502"
		switch servercmd.ClassKind(pass.Stack.WorkerClass(c)) {
		case "gthread":
			msg = "no --timeout: gunicorn's default of 30 s applies; gthread workers report to the arbiter every second whatever their threads do, so it is not a per-request timeout, it only kills a worker whose main loop is stuck that long"
		case "uvicorn":
			msg = "no --timeout: gunicorn's default of 30 s applies; with Uvicorn workers it is not a per-request timeout, it only kills a worker whose event loop is blocked that long"
		case "gevent", "eventlet", "tornado":
			msg = "no --timeout: gunicorn's default of 30 s applies; with async workers it is not a per-request timeout, it only kills a worker whose event loop is blocked that long"
		}
		edit, where := addEdit(pass, c, [2]string{"--timeout", itoa(pass.Targets.Timeout)})
		pass.Report(rules.Diagnostic{
			Span:    c.Server.ProgramSpan(),
			Message: msg,
			Fixes:   safeFix("add "+where, edit),
		})
	}
}
