package nginx

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// UpstreamKeepalive is HR401.
var UpstreamKeepalive = &rules.Rule{
	ID:       "HR401",
	Name:     "nginx-upstream-keepalive",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "nginx reuses connections to the app server",
		Why: "Without `keepalive` in an upstream block, nginx opens a new TCP connection to the backend " +
			"for every request and closes it afterwards: a handshake per request, sockets piling up in " +
			"TIME_WAIT, and app-server workers busy accepting instead of serving. `keepalive N` keeps up " +
			"to N idle connections per nginx worker, but only for locations that speak HTTP/1.1 to the " +
			"upstream and clear the Connection header (`proxy_http_version 1.1;` and " +
			"`proxy_set_header Connection \"\";`): nginx's defaults, HTTP/1.0 and `Connection: close`, end " +
			"every connection. A `proxy_pass http://host:port` without an upstream block cannot keep " +
			"connections at all. `uwsgi_pass` never reuses connections, and an upstream only WebSocket " +
			"locations use gains nothing (an upgraded connection is never reused), so neither is flagged. gunicorn's " +
			"sync worker closes every connection itself (it ignores --keep-alive), so keep-alive to it " +
			"gains nothing until it runs a gthread, gevent, eventlet or Uvicorn worker: that case is " +
			"reported as info. Keep gunicorn's --keep-alive above nginx's upstream keepalive_timeout " +
			"(60 s) or nginx may reuse a connection the backend has just closed (HR404). nginx 1.29.7 and later " +
			"keep upstream connections alive by default: where every nginx image of the compose files is " +
			"tagged 1.29.7 or later, the rule is quiet.",
		Impact: "Part of the report's nginx change: \"20-30% faster response times\".",
		Fix: "Adds `keepalive 32;` to the upstream (creating an upstream block for a bare " +
			"`proxy_pass http://host:port` and pointing proxy_pass at it), and, in every location " +
			"proxying to it, `proxy_http_version 1.1;` and `proxy_set_header Connection \"\";` where they " +
			"are missing. A location that inherits its proxy_set_header list gets the header where the " +
			"list is defined, so it keeps the inherited headers. WebSocket locations keep their " +
			"Upgrade/Connection headers. Safe: HTTP/1.1 with keep-alive is what every supported app " +
			"server speaks. No fix when the backend runs gunicorn's sync worker.",
		Bad: "upstream app {\n    server web:8000;\n}\nserver {\n    location / {\n        proxy_pass http://app;\n    }\n}",
		Good: "upstream app {\n    server web:8000;\n    keepalive 32;\n}\nserver {\n    location / {\n        proxy_pass http://app;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Connection \"\";\n    }\n}",
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version",
			"https://nginx.org/en/docs/http/ngx_http_uwsgi_module.html#uwsgi_pass",
			"https://docs.gunicorn.org/en/stable/settings.html#keepalive",
		},
		Since: "0.1.0",
	},
	Check: checkKeepalive,
}

func init() { rules.Register(UpstreamKeepalive) }

func checkKeepalive(p *rules.Pass) {
	f := p.File.Nginx
	if f == nil {
		return
	}
	if v, _, ok := p.Stack.NginxVersion(); ok && v.AtLeast(1, 29, 7) {
		return // upstream keep-alive is nginx's default from 1.29.7
	}
	doc := p.Doc()
	passes := f.Passes()

	for _, up := range f.Upstreams() {
		var proxied []*ngx.Pass
		used := false
		for _, ps := range passes {
			if ps.Upstream == up {
				used = true
				if ps.Directive.Name == "proxy_pass" {
					proxied = append(proxied, ps)
				}
			}
		}
		if used && len(proxied) == 0 {
			continue // uwsgi_pass and friends never reuse connections
		}
		if len(proxied) > 0 && allWebSocket(proxied) {
			continue // an upgraded connection is never returned for reuse
		}
		name := up.Arg(0)
		if up.Block.First("keepalive") == nil {
			if sync := syncBackend(p.Stack, ngx.UpstreamServers(up)); sync != nil {
				p.Report(syncInfo(up.HeadSpan(), fmt.Sprintf("upstream %q", name), sync))
				continue
			}
			es := newEditSet(doc)
			es.insert(up.Block, []string{"server"}, fmt.Sprintf("keepalive %d;", p.Targets.UpstreamKeepalive))
			for _, ps := range proxied {
				locationEdits(es, ps)
			}
			p.Report(rules.Diagnostic{
				Span:    up.HeadSpan(),
				Message: fmt.Sprintf("upstream %q has no keepalive: nginx opens a new connection to the backend for every request", name),
				Fixes:   []rules.Fix{{Message: "add keepalive 32 and HTTP/1.1 keep-alive to the locations using it", Edits: es.edits()}},
			})
			continue
		}
		for _, ps := range proxied {
			es := newEditSet(doc)
			locationEdits(es, ps)
			if es.empty() {
				continue
			}
			p.Report(rules.Diagnostic{
				Span: ps.Directive.HeadSpan(),
				Message: fmt.Sprintf("upstream %q sets keepalive, but this location does not proxy with "+
					"proxy_http_version 1.1 and an empty Connection header, so its connections are not reused", name),
				Fixes: []rules.Fix{{Message: "use HTTP/1.1 keep-alive in this location", Edits: es.edits()}},
			})
		}
	}

	checkBarePasses(p, f, passes)
}

// checkBarePasses flags proxy_pass straight to an address. Passes to the
// same address share one fix, carried by the first finding.
func checkBarePasses(p *rules.Pass, f *ngx.File, passes []*ngx.Pass) {
	doc := p.Doc()
	groups := map[string][]*ngx.Pass{}
	var keys []string
	for _, ps := range passes {
		if ps.Directive.Name != "proxy_pass" || ps.Upstream != nil || ps.Variable ||
			(ps.Scheme != "http" && ps.Scheme != "https") || ps.Host == "" {
			continue
		}
		if ps.Port == "" && !strings.HasPrefix(ps.Host, "unix:") && upstreamElsewhere(p.Stack, f, ps.Host) {
			continue // an upstream defined in another file of the stack
		}
		key := ps.Scheme + "://" + strings.ToLower(ps.Address())
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], ps)
	}
	taken := map[string]bool{}
	for _, u := range f.Upstreams() {
		taken[strings.ToLower(u.Arg(0))] = true
	}
	for _, key := range keys {
		group := groups[key]
		first := group[0]
		addr := first.Address()
		if sync := syncBackend(p.Stack, []string{addr}); sync != nil {
			for _, ps := range group {
				p.Report(syncInfo(ps.Directive.HeadSpan(), "proxy_pass to "+addr, sync))
			}
			continue
		}
		msg := fmt.Sprintf("proxy_pass to %s without an upstream block: nginx opens a new connection to the backend "+
			"for every request (keep-alive needs an upstream with keepalive)", addr)
		server := first.Directive.Enclosing("server")
		if server == nil {
			for _, ps := range group {
				p.Reportf(ps.Directive.HeadSpan(), "%s", msg)
			}
			continue
		}
		name := upstreamName(first, taken)
		taken[name] = true
		port := first.Port
		if port == "" && !strings.HasPrefix(first.Host, "unix:") {
			port = map[string]string{"http": "80", "https": "443"}[first.Scheme]
		}
		target := first.Host
		if port != "" {
			target += ":" + port
		}
		es := newEditSet(doc)
		es.add(edit.NginxUpstream(doc, server, name, []string{target}, fmt.Sprintf("keepalive %d;", p.Targets.UpstreamKeepalive)))
		for _, ps := range group {
			es.add(edit.NginxReplaceArg(doc, ps.Directive, 0, ps.Scheme+"://"+name+ps.Path))
			locationEdits(es, ps)
		}
		fix := []rules.Fix{{Message: fmt.Sprintf("create upstream %s with keepalive 32 and proxy to it over HTTP/1.1", name), Edits: es.edits()}}
		for i, ps := range group {
			d := rules.Diagnostic{Span: ps.Directive.HeadSpan(), Message: msg}
			if i == 0 {
				d.Fixes = fix
			} else {
				d.Message += fmt.Sprintf(" (fixed together with line %d)", doc.Position(first.Directive.Span.Start).Line)
			}
			p.Report(d)
		}
	}
}

// locationEdits plans what the location of ps needs for keep-alive:
// proxy_http_version 1.1 and an empty Connection header.
func locationEdits(es *editSet, ps *ngx.Pass) {
	b := ps.Directive.Parent
	if v, d := b.EffectiveValue("proxy_http_version"); v != "1.1" && v != "2" && v != "2.0" {
		if d != nil && d.Parent == b {
			es.add(edit.NginxReplaceArg(es.docOf(d), d, 0, "1.1"))
		} else {
			es.insert(b, []string{"proxy_pass"}, "proxy_http_version 1.1;")
		}
	}
	if ngx.IsWebSocket(b) {
		return // its Connection header carries the upgrade
	}
	// nginx's proxy_set_header list is all or nothing: a block with a
	// header of its own (its own lines or an include at its level) inherits
	// none, so the header goes where the list in effect is defined.
	level, headers := b.EffectiveLevel("proxy_set_header")
	if c := headerNamed(headers, "Connection"); c != nil {
		if v := strings.ToLower(c.Arg(1)); v != "" && v != "keep-alive" {
			es.add(edit.NginxReplaceArg(es.docOf(c), c, 1, ""))
		}
		return
	}
	if len(headers) > 0 {
		last := headers[len(headers)-1]
		if last.Parent != level {
			// The list comes from a file included at that level, which
			// other blocks may share: add the header beside the include.
			if inc := includeHolding(level, last); inc != nil {
				es.insertAfter(inc, `proxy_set_header Connection "";`)
			} else {
				es.insert(level, []string{"proxy_set_header", "include"}, `proxy_set_header Connection "";`)
			}
			return
		}
		es.insertAfter(last, `proxy_set_header Connection "";`)
		return
	}
	es.insert(b, []string{"proxy_pass", "proxy_http_version"}, `proxy_set_header Connection "";`)
}

// includeHolding returns the include directive of b that brings d in.
func includeHolding(b *ngx.Block, d *ngx.Directive) *ngx.Directive {
	for _, inc := range b.Find("include") {
		for _, f := range inc.Included {
			for _, x := range f.Root.FindIncluded(d.Name) {
				if x == d {
					return inc
				}
			}
		}
	}
	return nil
}

func allWebSocket(ps []*ngx.Pass) bool {
	for _, p := range ps {
		if !ngx.IsWebSocket(p.Directive.Parent) {
			return false
		}
	}
	return true
}

// syncBackend returns the command serving every one of addrs when it is
// gunicorn's sync worker, which closes each connection after one request.
func syncBackend(s *stack.Stack, addrs []string) *stack.Command {
	if s == nil || len(addrs) == 0 {
		return nil
	}
	var found *stack.Command
	for _, a := range addrs {
		host, _ := ngx.SplitHostPort(a)
		c := s.ServerFor(host)
		// The worker class in effect: a config file or GUNICORN_CMD_ARGS
		// may set it where the command line does not.
		if c == nil || c.Server == nil || c.Server.Program != "gunicorn" || servercmd.ClassKind(s.WorkerClass(c)) != "sync" {
			return nil
		}
		found = c
	}
	return found
}

func syncInfo(span parsers.Span, what string, c *stack.Command) rules.Diagnostic {
	where := c.File.Doc.Path
	if c.Service != "" {
		where = "service " + c.Service + " in " + where
	}
	return rules.Diagnostic{
		Severity: rules.Info,
		Span:     span,
		Message: fmt.Sprintf("%s: the backend (%s) runs gunicorn's sync worker, which closes every connection; "+
			"upstream keep-alive needs a non-sync worker (gthread, gevent or Uvicorn), so nothing is changed here", what, where),
		Related: []rules.Location{{Doc: c.File.Doc, Span: c.Server.Argv.Span, Message: "gunicorn runs the sync worker here"}},
	}
}

// upstreamElsewhere reports whether another nginx file of the stack defines
// an upstream called name.
func upstreamElsewhere(s *stack.Stack, self *ngx.File, name string) bool {
	if s == nil {
		return false
	}
	for _, f := range s.Files {
		if f.Nginx != nil && f.Nginx != self && f.Nginx.Upstream(name) != nil {
			return true
		}
	}
	return false
}

var (
	nonName = regexp.MustCompile(`[^a-z0-9_]+`)
	// ipLike matches IPv4 and bracketed IPv6 addresses, which make poor names.
	ipLike = regexp.MustCompile(`^(\[.*\]|[0-9.]+)$`)
)

// upstreamName names the upstream created for a bare proxy_pass after its
// host. It must differ from the host itself: nginx refuses
// `proxy_pass http://web:8000` next to an upstream called web.
func upstreamName(ps *ngx.Pass, taken map[string]bool) string {
	host := strings.ToLower(ps.Host)
	if strings.HasPrefix(host, "unix:") {
		host = host[strings.LastIndexByte(host, '/')+1:]
		host = strings.TrimSuffix(host, ".sock")
	}
	base := strings.Trim(nonName.ReplaceAllString(host, "_"), "_")
	if base == "" || host == "localhost" || ipLike.MatchString(host) {
		base = "app"
	}
	name := base + "_backend"
	if taken[name] && ps.Port != "" {
		name = base + "_" + ps.Port + "_backend"
	}
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s_backend_%d", base, i)
	}
	return name
}
