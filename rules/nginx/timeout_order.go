package nginx

import (
	"fmt"

	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
)

// TimeoutOrder is HR405.
var TimeoutOrder = &rules.Rule{
	ID:       "HR405",
	Name:     "timeout-ordering",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Doc: rules.Doc{
		Title: "nginx gives up on a request before gunicorn's worker timeout",
		Why: `nginx waits proxy_read_timeout (60 s by default) between two reads from the
backend, then answers 504 Gateway Timeout and closes the connection. A gunicorn sync
worker keeps working on the request until --timeout (30 s by default) kills it. When nginx's timeout is the shorter one, a slow request is answered 504 while the
worker still holds the request, a database connection and often a lock: the client
retries, and the retry lands on top of the work still running. Keep
proxy_read_timeout at least as long as gunicorn's --timeout, so the worker timeout
fires first and its error is what the user sees. Only sync workers are checked: a
gthread worker reports to the arbiter every second from its main loop whatever its
threads do, and async workers (gevent, eventlet, Uvicorn) from their event loop, so
there --timeout is a watchdog for a stuck worker, not a limit on a slow request.`,
		Impact: "504s while the work still runs, and duplicated work on retry",
		Fix: `No automatic fix: raise proxy_read_timeout in the location (or server) proxying to
the app to at least gunicorn's --timeout, or lower --timeout.`,
		Bad: `location / { proxy_pass http://app; proxy_read_timeout 30s; }
# gunicorn app.wsgi --timeout 120`,
		Good: `location / { proxy_pass http://app; proxy_read_timeout 125s; }
# gunicorn app.wsgi --timeout 120`,
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout",
			"https://docs.gunicorn.org/en/stable/settings.html#timeout",
			"https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/workers/gthread.py",
		},
		Since: "0.1.0",
	},
	Check: checkTimeoutOrder,
}

func init() { rules.Register(TimeoutOrder) }

func checkTimeoutOrder(p *rules.Pass) {
	f := p.File.Nginx
	if f == nil {
		return
	}
	for _, ps := range f.Passes() {
		if ps.Directive.Name != "proxy_pass" || ngx.IsWebSocket(ps.Directive.Parent) {
			continue
		}
		read := 60
		span := ps.Directive.HeadSpan()
		what := "nginx's default proxy_read_timeout"
		if v, d := ps.Directive.Parent.EffectiveValue("proxy_read_timeout"); d != nil {
			n, ok := seconds(v)
			if !ok {
				continue
			}
			read, what = n, fmt.Sprintf("proxy_read_timeout %s", v)
			if d.Parent == ps.Directive.Parent {
				span = d.HeadSpan()
			}
		}
		for _, c := range backends(p.Stack, ps) {
			if c.Server.Program != "gunicorn" {
				continue
			}
			if k := servercmd.ClassKind(p.Stack.WorkerClass(c)); k != "sync" {
				continue
			}
			timeout := 30
			rel := rules.Location{Doc: c.File.Doc, Span: c.Server.ProgramSpan(), Message: fmt.Sprintf("%s: gunicorn's default --timeout 30", label(c))}
			if o := c.Server.Lookup("timeout"); o != nil {
				n, ok := o.Int()
				if !ok || n <= 0 {
					continue // a variable, or 0: no timeout
				}
				timeout = n
				rel = rules.Location{Doc: c.File.Doc, Span: o.Span, Message: fmt.Sprintf("%s: gunicorn %s %d", label(c), o.Flag, n)}
			} else if c.Server.Has("config") {
				continue
			}
			if read >= timeout {
				continue
			}
			p.Report(rules.Diagnostic{
				Span: span,
				Message: fmt.Sprintf("%s (%d s), shorter than the %d s gunicorn's %s workers of %s may spend on a request: nginx answers 504 while the worker still runs it; set proxy_read_timeout to at least %ds",
					what, read, timeout, servercmd.ClassKind(p.Stack.WorkerClass(c)), label(c), timeout),
				Related: []rules.Location{rel},
			})
		}
	}
}
