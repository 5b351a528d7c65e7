package appserver

import (
	"fmt"
	"slices"

	ngx "github.com/headroom-dev/headroom/parsers/nginx"
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
	Kinds:    configKinds,
	Fixable:  true,
	Unsafe:   true,
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
raises the limit from the 30 s default. Planned against nginx: for a sync worker
(where --timeout is per request) behind nginx locations whose proxy_read_timeout
(60 s when unset) is shorter than 60 s, the value written is that shortest read
timeout, so nginx never answers 504 while the worker still runs the request (HR405);
where it is below 30 s the order is already inverted and the fix is unsafe until
proxy_read_timeout is raised. Quiet when --timeout is given (any value),
when a config file (-c) or GUNICORN_CMD_ARGS may set it, and for uvicorn run
directly, which has no such watchdog. A gunicorn config module that no command in view
runs (a systemd unit or launcher outside the repository does, and no gunicorn command
is in view) is judged as it stands, as info, with no fix: the proxy in front of it,
which decides the value, is out of view too.`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8",
     "--timeout", "60"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#timeout",
			"https://docs.gunicorn.org/en/stable/design.html#async-workers",
			"https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/workers/gthread.py",
			"https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/workers/sync.py",
			"https://www.uvicorn.org/deployment/#gunicorn",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout",
		},
		Since: "0.1.0",
	},
	Check: checkTimeout,
}

func init() { rules.Register(TimeoutRule) }

func checkTimeout(pass *rules.Pass) {
	if f := unrunConfig(pass); f != nil {
		checkUnrunTimeout(pass, f)
		return
	}
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
		target, app := pass.Targets.Timeout, rules.Safe
		fixMsg := ""
		var related []rules.Location
		if read, at := shortestRead(pass.Stack, c); at != nil && read < target {
			// A sync worker's timeout is per request: past nginx's
			// proxy_read_timeout to it, the client gets a 504 while the
			// worker still runs (HR405). Keep the order.
			related = []rules.Location{{Doc: at.Doc, Span: at.Span, Message: fmt.Sprintf("nginx waits %d s for this backend (proxy_read_timeout)", read)}}
			if read >= 30 {
				target = read
				fixMsg = fmt.Sprintf(" (%d s, not %d: nginx's proxy_read_timeout to it is %d s, and a longer worker timeout would answer 504 while the worker still runs)", read, pass.Targets.Timeout, read)
			} else {
				app = rules.Unsafe
				fixMsg = fmt.Sprintf(" (nginx's proxy_read_timeout to it is %d s, below gunicorn's default 30 s already: raise proxy_read_timeout first, HR405)", read)
			}
		}
		edit, where := addEdit(pass, c, [2]string{"--timeout", itoa(target)})
		fixes := safeFix("add "+where+fixMsg, edit)
		for i := range fixes {
			fixes[i].Applicability = app
		}
		pass.Report(rules.Diagnostic{
			Span:    c.Server.ProgramSpan(),
			Message: msg,
			Related: related,
			Fixes:   fixes,
		})
	}
}

// shortestRead is the shortest proxy_read_timeout (60 s, nginx's default,
// where none is set) of the nginx locations proxying to a sync-worker
// command c, and where it is decided; at is nil where no location proxies
// to c or its worker class is not sync (there --timeout is not a
// per-request limit, so no order between the two holds: HR405).
func shortestRead(s *stack.Stack, c *stack.Command) (read int, at *rules.Location) {
	if servercmd.ClassKind(s.WorkerClass(c)) != "sync" {
		return 0, nil
	}
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		for _, ps := range f.Nginx.Passes() {
			if ps.Directive.Name != "proxy_pass" || ngx.IsWebSocket(ps.Directive.Parent) || !slices.Contains(s.Backends(ps), c) {
				continue
			}
			n, span := 60, ps.Directive.HeadSpan()
			if v, d := ps.Directive.Parent.EffectiveValue("proxy_read_timeout"); d != nil {
				var ok bool
				if n, ok = ngx.Seconds(v); !ok {
					continue
				}
				if d.Parent == ps.Directive.Parent {
					span = d.HeadSpan()
				}
			}
			if at == nil || n < read {
				read, at = n, &rules.Location{Doc: f.Doc, Span: span}
			}
		}
	}
	return read, at
}
