package nginx

import (
	"fmt"
	"strconv"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// KeepaliveOrder is HR404.
var KeepaliveOrder = &rules.Rule{
	ID:       "HR404",
	Name:     "keepalive-ordering",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "The app server closes idle keep-alive connections before nginx stops reusing them",
		Why: `With upstream keep-alive (keepalive N in the upstream block, or nginx 1.29.7 and
later), nginx keeps idle connections to the backend for the upstream's
keepalive_timeout (60 s by default) and sends the next request on one of them. The
backend closes an idle connection after its own keep-alive timeout: gunicorn's
--keep-alive (2 s by default, also what Uvicorn workers use) or uvicorn's
--timeout-keep-alive (5 s). When the backend's timeout is not longer than nginx's, nginx
sends requests on connections the backend is closing at that moment: the request fails
with "upstream prematurely closed connection" (a 502), or is retried on another
connection when it is idempotent. The backend's keep-alive must outlast nginx's.
gunicorn's sync worker ignores --keep-alive (it closes every connection), so it is not
checked; HR401 reports that case.`,
		Impact: "sporadic 502s under light load, exactly where keep-alive connections sit idle longest",
		Fix: `Sets gunicorn's --keep-alive (uvicorn's --timeout-keep-alive) to nginx's upstream
keepalive_timeout plus 5 s (65 for the default 60 s), where the option is written or
appended to the command. Safe: the backend holds idle connections a little longer,
which costs a file descriptor each.`,
		Bad: `upstream app { server web:8000; keepalive 32; }
# CMD ["gunicorn", "app.asgi:application", "-k", "uvicorn_worker.UvicornWorker"]`,
		Good: `upstream app { server web:8000; keepalive 32; }
# CMD ["gunicorn", "app.asgi:application", "-k", "uvicorn_worker.UvicornWorker", "--keep-alive", "65"]`,
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive_timeout",
			"https://docs.gunicorn.org/en/stable/settings.html#keepalive",
			"https://www.uvicorn.org/settings/#timeouts",
		},
		Since: "0.1.0",
	},
	Check: checkKeepaliveOrder,
}

func init() { rules.Register(KeepaliveOrder) }

// keepUpstream is an upstream block that keeps connections to a backend.
type keepUpstream struct {
	doc     *parsers.Document
	up      *ngx.Directive
	timeout int
	at      parsers.Span // where the timeout is set, or the upstream
}

func checkKeepaliveOrder(p *rules.Pass) {
	var cmds []*stack.Command
	for _, c := range p.Stack.Commands {
		if c.File == p.File {
			cmds = append(cmds, c)
		}
	}
	if len(cmds) == 0 {
		return
	}
	byDefault := false
	if v, _, ok := p.Stack.NginxVersion(); ok && v.AtLeast(1, 29, 7) {
		byDefault = true
	}
	for _, c := range cmds {
		var flag string
		var cur int
		switch {
		case c.Server.Program == "gunicorn":
			if k := servercmd.ClassKind(c.Server.WorkerClass()); k == "sync" || k == "" {
				continue
			}
			flag, cur = "--keep-alive", 2
		case c.Server.Program == "uvicorn" && !c.Server.Has("reload"):
			flag, cur = "--timeout-keep-alive", 5
		default:
			continue
		}
		opt := c.Server.Lookup(flag[2:])
		if opt != nil {
			n, ok := opt.Int()
			if !ok {
				continue
			}
			cur = n
		} else if c.Server.Has("config") {
			continue // a config file may set it
		}
		ku := upstreamFor(p.Stack, c, byDefault)
		if ku == nil || cur > ku.timeout {
			continue
		}
		want := ku.timeout + max(p.Targets.KeepAliveMargin, 1) // must end up longer
		rel := []rules.Location{{Doc: ku.doc, Span: ku.at, Message: fmt.Sprintf("upstream %q keeps idle connections for %d s", ku.up.Arg(0), ku.timeout)}}
		var change edit.TextEdit
		span := c.Server.ProgramSpan()
		state := fmt.Sprintf("no %s: %s closes idle connections after its default %d s", flag, c.Server.Program, cur)
		if opt != nil {
			change = edit.ArgvSetOption(c.Server.Argv, opt, strconv.Itoa(want))
			span = opt.ValueSpan
			state = fmt.Sprintf("%s %d: %s closes idle connections after %d s", opt.Flag, cur, c.Server.Program, cur)
		} else {
			change = edit.ArgvAppend(c.Server.Argv, flag, strconv.Itoa(want))
		}
		p.Report(rules.Diagnostic{
			Span: span,
			Message: fmt.Sprintf("%s, not longer than the %d s nginx keeps them for reuse (upstream %q), so nginx sends requests on connections being closed (502s); set %s %d",
				state, ku.timeout, ku.up.Arg(0), flag, want),
			Related: rel,
			Fixes:   []rules.Fix{{Message: fmt.Sprintf("set %s %d", flag, want), Edits: []edit.TextEdit{change}}},
		})
	}
}

// upstreamFor finds the keep-alive upstream with the longest timeout
// that proxies (not only WebSocket: a catch-all forcing WebSocket headers
// serves ordinary HTTP, see forcedUpgrade) to c.
func upstreamFor(s *stack.Stack, c *stack.Command, byDefault bool) *keepUpstream {
	var best *keepUpstream
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		for _, ps := range f.Nginx.Passes() {
			up := ps.Upstream
			if up == nil || ps.Directive.Name != "proxy_pass" || webSocketOnly(ps) {
				continue
			}
			if up.Block.First("keepalive") == nil && !byDefault {
				continue
			}
			serves := false
			for _, b := range backends(s, ps) {
				serves = serves || b == c
			}
			if !serves {
				continue
			}
			ku := &keepUpstream{doc: f.Doc, up: up, timeout: 60, at: up.HeadSpan()}
			if d := up.Block.Last("keepalive_timeout"); d != nil {
				n, ok := seconds(d.Arg(0))
				if !ok {
					continue
				}
				ku.timeout, ku.at = n, d.HeadSpan()
			} else if k := up.Block.First("keepalive"); k != nil {
				ku.at = k.HeadSpan()
			}
			if best == nil || ku.timeout > best.timeout {
				best = ku
			}
		}
	}
	return best
}
