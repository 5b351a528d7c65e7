package nginx

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Ports is HR406.
var Ports = &rules.Rule{
	ID:       "HR406",
	Name:     "ports-do-not-meet",
	Phase:    1,
	Severity: rules.Error,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Doc: rules.Doc{
		Title: "nginx proxies to a port the app server does not listen on",
		Why: `nginx reaches the app by a compose service name and a port (proxy_pass
http://web:8000, or server web:8000 in an upstream). The service's app server listens
where its command binds: gunicorn's --bind, or the bind of its config file (the one
-c names, or ./gunicorn.conf.py, which gunicorn reads by default), else 127.0.0.1:8000,
or 0.0.0.0:$PORT when PORT is set; uvicorn's --host/--port, or UVICORN_HOST and
UVICORN_PORT from its environment (uvicorn reads every option from UVICORN_*), else
127.0.0.1:8000; daphne's -b/-p (port 8000). A different port, or an address on the loopback interface of the
app's own container, means every request fails with 502 Bad Gateway ("connect()
failed (111: Connection refused)"). The rule compares every address nginx sends to
that names a compose service with the listen addresses of the commands that service
runs (its command:, or the CMD of the Dockerfile it builds). Unix sockets, variables
and servers configured where headroom cannot read (a config file outside the
repository, a computed bind, GUNICORN_CMD_ARGS) are not checked.`,
		Impact: "every proxied request fails with 502",
		Fix: `No automatic fix: which side is right is the author's call. Make the port in
nginx and the app server's --bind agree, and bind 0.0.0.0 inside a container.`,
		Bad: `upstream app { server web:8000; }
# web: gunicorn app.wsgi --bind 0.0.0.0:8080`,
		Good: `upstream app { server web:8080; }
# web: gunicorn app.wsgi --bind 0.0.0.0:8080`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#bind",
			"https://docs.gunicorn.org/en/stable/settings.html#config",
			"https://www.uvicorn.org/settings/#socket-binding",
			"https://www.uvicorn.org/settings/",
			"https://github.com/encode/uvicorn/blob/0.32.1/uvicorn/main.py",
			"https://github.com/django/daphne#readme",
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server",
			"https://docs.docker.com/compose/how-tos/networking/",
		},
		Since: "0.1.0",
	},
	Check: checkPorts,
}

func init() { rules.Register(Ports) }

// listen is one address an app server binds.
type listen struct {
	host, port string
	span       parsers.Span
	what       string // how it was read
}

func checkPorts(p *rules.Pass) {
	f := p.File.Nginx
	if f == nil {
		return
	}
	seen := map[*ngx.Directive]bool{}
	for _, ps := range f.Passes() {
		if ps.Variable {
			continue
		}
		type target struct {
			addr string
			at   *ngx.Directive
		}
		var ts []target
		if ps.Upstream != nil {
			for _, s := range ps.Upstream.Block.Find("server") {
				if s.Block == nil && len(s.Args) > 0 {
					ts = append(ts, target{s.Arg(0), s})
				}
			}
		} else if ps.Host != "" {
			addr := ps.Address()
			if ps.Port == "" && !strings.HasPrefix(ps.Host, "unix:") {
				if !p.Stack.ComposeService(ps.Host).Found() {
					continue // an upstream in another file, or a host outside the stack
				}
				port := "80"
				if ps.Scheme == "https" {
					port = "443"
				}
				addr += ":" + port
			}
			ts = append(ts, target{addr, ps.Directive})
		}
		for _, t := range ts {
			if seen[t.at] {
				continue
			}
			seen[t.at] = true
			host, port := ngx.SplitHostPort(t.addr)
			if strings.HasPrefix(host, "unix:") {
				continue
			}
			if port == "" {
				port = "80"
			}
			sv := p.Stack.ComposeService(host)
			if !sv.Found() {
				continue
			}
			for _, c := range p.Stack.WebServers(host) {
				ls, ok := listens(p.Stack, c)
				if !ok || len(ls) == 0 {
					continue
				}
				match := false
				for _, l := range ls {
					match = match || (l.port == port && !loopback(l.host))
				}
				if match {
					continue
				}
				l := ls[0]
				rel := []rules.Location{{Doc: c.File.Doc, Span: l.span, Message: fmt.Sprintf("%s listens on %s (%s)", c.Server.Program, l.host+":"+l.port, l.what)}}
				var msg string
				if l.port == port {
					msg = fmt.Sprintf("nginx sends to %s:%s, but %s's %s listens on %s:%s, the loopback interface of its own container: nginx cannot reach it (502); bind 0.0.0.0:%s", host, port, sv.Service.Name, c.Server.Program, l.host, l.port, port)
				} else {
					msg = fmt.Sprintf("nginx sends to %s:%s, but %s's %s listens on port %s: every request fails with 502", host, port, sv.Service.Name, c.Server.Program, l.port)
				}
				p.Report(rules.Diagnostic{Span: t.at.HeadSpan(), Message: msg, Related: rel})
			}
		}
	}
}

func loopback(host string) bool {
	h := strings.Trim(strings.ToLower(host), "[]")
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "::1"
}

// listens returns where an app-server command listens; ok is false when it
// cannot be told (a socket, a variable, a config file).
func listens(s *stack.Stack, c *stack.Command) ([]listen, bool) {
	srv := c.Server
	at := srv.ProgramSpan()
	switch srv.Program {
	case "gunicorn":
		binds := srv.All("bind")
		if len(binds) == 0 {
			// A config file (-c, or ./gunicorn.conf.py, which gunicorn reads
			// by default) may bind elsewhere.
			if conf, missing := s.Config(c); missing || srv.Has("config") && conf == nil {
				return nil, false
			} else if conf != nil && conf.Python != nil {
				if b := conf.Python.Names["bind"]; b != nil {
					l, ok := b.Value().Effective()
					if !ok || l.Kind != python.Str || strings.Contains(l.Str, "$") || strings.HasPrefix(l.Str, "unix:") {
						return nil, false
					}
					host, port := ngx.SplitHostPort(l.Str)
					if port == "" {
						port = "8000"
					}
					return []listen{{host, port, b.Span(), "bind = " + l.Str + " in " + conf.Doc.Path}}, true
				}
			}
			if _, ok := s.Env(c, "GUNICORN_CMD_ARGS"); ok {
				return nil, false
			}
			if v, ok := s.Env(c, "PORT"); ok {
				port := v.Value
				if strings.Contains(port, "$") {
					return nil, false
				}
				return []listen{{"0.0.0.0", strings.TrimSpace(port), at, "no --bind: 0.0.0.0:$PORT, PORT=" + port}}, true
			}
			return []listen{{"127.0.0.1", "8000", at, "no --bind: gunicorn's default"}}, true
		}
		var out []listen
		for _, b := range binds {
			v := b.Value
			if strings.HasPrefix(v, "unix:") || strings.HasPrefix(v, "fd://") {
				continue
			}
			if strings.Contains(v, "$") {
				return nil, false
			}
			host, port := ngx.SplitHostPort(v)
			if port == "" {
				port = "8000"
			}
			out = append(out, listen{host, port, b.Span, b.Flag + " " + v})
		}
		return out, true
	case "uvicorn":
		if srv.Has("uds") || srv.Has("fd") {
			return nil, false
		}
		l := listen{"127.0.0.1", "8000", at, "uvicorn's default"}
		// uvicorn reads every option from UVICORN_<NAME> too (click's
		// auto_envvar_prefix); the command line wins.
		if v, ok := s.Env(c, "UVICORN_HOST"); ok {
			l.host, l.what = strings.TrimSpace(v.Value), "UVICORN_HOST="+v.Value
		}
		if v, ok := s.Env(c, "UVICORN_PORT"); ok {
			l.port, l.what = strings.TrimSpace(v.Value), "UVICORN_PORT="+v.Value
		}
		if o := srv.Lookup("host"); o != nil {
			l.host, l.span, l.what = o.Value, o.Span, "--host "+o.Value
		}
		if o := srv.Lookup("port"); o != nil {
			l.port, l.span, l.what = o.Value, o.Span, "--port "+o.Value
		}
		if strings.Contains(l.host+l.port, "$") {
			return nil, false
		}
		return []listen{l}, true
	case "daphne":
		if srv.Has("unix-socket") || srv.Has("fd") || srv.Has("endpoint") {
			return nil, false
		}
		// daphne's default host is not assumed to be loopback: only a
		// written -b says where it binds.
		l := listen{"0.0.0.0", "8000", at, "daphne's default port"}
		if o := srv.Lookup("bind"); o != nil {
			l.host, l.span, l.what = o.Value, o.Span, o.Flag+" "+o.Value
		}
		if o := srv.Lookup("port"); o != nil {
			l.port, l.span, l.what = o.Value, o.Span, o.Flag+" "+o.Value
		}
		if strings.Contains(l.host+l.port, "$") {
			return nil, false
		}
		return []listen{l}, true
	}
	return nil, false
}
