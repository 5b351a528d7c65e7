package nginx

import (
	"fmt"
	"path"
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
	Unsafe:   true,
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
			"locations use gains nothing (an upgraded connection is never reused), so neither is flagged. A location " +
			"that passes WebSocket headers on every request although ordinary HTTP goes through it (a catch-all " +
			"`location /` or `location = /` \"for WebSocket support\", a named location a catch-all hands requests to, " +
			"or WebSocket headers set for a whole server, inherited by a location not named like a WebSocket endpoint " +
			"such as `/ws/`, `/socket.io/` or `/cable`) is no WebSocket location: its upstream is judged like any other. A fixed " +
			"`Connection \"upgrade\"` there is left as it is (nginx keeps an upstream connection the backend does not " +
			"close, whatever that header says, and the handshakes need it); but where the header comes from nginx's own " +
			"`map $http_upgrade $connection_upgrade { default upgrade; '' close; }`, every ordinary request goes out with " +
			"`Connection: close` and no connection is ever reused, keepalive or not. gunicorn's " +
			"sync worker closes every connection itself (it ignores --keep-alive), so keep-alive to it " +
			"gains nothing until it runs a gthread, gevent, eventlet or Uvicorn worker: that case is " +
			"reported as info. Keep gunicorn's --keep-alive above nginx's upstream keepalive_timeout " +
			"(60 s) or nginx may reuse a connection the backend has just closed (HR404). nginx 1.29.7 and later " +
			"keep upstream connections alive by default: where every nginx image of the compose files is " +
			"tagged 1.29.7 or later, the rule is quiet.",
		Impact: "Part of the report's nginx change: \"20-30% faster response times\".",
		Fix: "Unsafe where the stack runs gunicorn's gthread, gevent or eventlet workers: gunicorn sends the " +
			"body a WSGI app writes for a HEAD request (Django writes the GET body) and leaves dropping it to " +
			"the app, so on a kept-alive connection nginx takes those bytes as the next response (seen end to " +
			"end with gunicorn 20.1 and Django 3.2: the request after a HEAD hangs); safe otherwise, and safe " +
			"where the requirements pin gunicorn 26.1 or later, which drops the body of a HEAD response itself " +
			"(gunicorn/http/wsgi.py at 26.1.0, its news for 26.1.0: \"WSGI body framing on HEAD/1xx/204/304\"). " +
			"Adds `keepalive 32;` to the upstream, after its servers and its balancing method " +
			"(`least_conn`, `hash`, `ip_hash`, `random`: nginx drops a keepalive written before them, with only " +
			"a warning), and, in every location proxying to it, `proxy_http_version 1.1;` and " +
			"`proxy_set_header Connection \"\";` where they are missing. A location that inherits its " +
			"proxy_set_header list gets the header where the list is defined, so it keeps the inherited headers. " +
			"A bare `proxy_pass http://host:port` is pointed at an upstream for that address: one already declared " +
			"in any file the same nginx loads, or one created (once for all those files: nginx refuses an upstream " +
			"declared twice) and named like a host (`web-backend`). That changes `$proxy_host`, the Host header " +
			"nginx sends by default, from `web:8000` to the upstream's name, so where no Host header is set the fix " +
			"writes `proxy_set_header Host web:8000;`: the backend gets the same Host as before (Django answers 400 " +
			"to a Host it cannot validate, such as one with an underscore). Where an include headroom cannot see " +
			"may set Host, or the header list is shared with locations proxying elsewhere, there is no fix. " +
			"Where a location serving ordinary HTTP takes its Connection header from a map that sends `close` without an " +
			"Upgrade header, the fix changes that entry to an empty value (`'' '';`, one token wherever the map is): " +
			"ordinary requests then go out with no Connection header, as keepalive needs, and handshakes still get " +
			"\"upgrade\". " +
			"Left alone: WebSocket locations, upstreams only WebSocket locations, `uwsgi_pass` (also from an " +
			"included file) or no proxy_pass in view use, " +
			"upstreams balanced by another module (`balancer_by_lua_block`), upstreams that include files not in " +
			"view (servers written when the container starts; the file may hold a keepalive), and backends that are " +
			"not a Python app server this rule models: compose services that run no app server, hosts outside the " +
			"stack (a dotted name no compose service has and no cluster-internal suffix such as .svc or .internal: a " +
			"CDN, an S3 bucket, a public site; any host proxied over https that no app server of the stack serves), and " +
			"JavaScript frontends and storage or identity services named as such (an upstream or host called " +
			"`docs_frontend`, `${FRONTEND_HOST}`, `minio`, unless a compose service of that name runs an app server): " +
			"their keep-alive is theirs to tune; a file an upstream includes that is in view is read in " +
			"place, and keepalive goes after the include. Safe: HTTP/1.1 with keep-alive is what every supported app server speaks. " +
			"No fix when the backend runs gunicorn's sync worker.",
		Bad: "upstream app {\n    server web:8000;\n}\nserver {\n    location / {\n        proxy_pass http://app;\n    }\n}",
		Good: "upstream app {\n    server web:8000;\n    keepalive 32;\n}\nserver {\n    location / {\n        proxy_pass http://app;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Connection \"\";\n    }\n}",
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#var_proxy_host",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
			"https://nginx.org/en/docs/http/websocket.html (map $http_upgrade $connection_upgrade: default upgrade, '' close)",
			"https://nginx.org/en/docs/http/ngx_http_map_module.html#map",
			"https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_proxy_module.c (u->keepalive = !u->headers_in.connection_close: reuse follows the backend's answer; a 101 is never kept)",
			"https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_proxy_module.c (ngx_http_proxy_set_vars: $proxy_host drops the scheme's default port; \"localhost\" for a unix socket)",
			"https://github.com/nginx/nginx/blob/master/src/http/ngx_http_upstream.c (ngx_http_upstream_add: duplicate upstream; an upstream name may not have a port)",
			"https://github.com/django/django/blob/main/django/http/request.py (host_validation_re: no underscore)",
			"https://nginx.org/en/docs/http/ngx_http_uwsgi_module.html#uwsgi_pass",
			"https://docs.gunicorn.org/en/stable/settings.html#keepalive",
			"https://github.com/benoitc/gunicorn/pull/1079 (the app must not write a body for HEAD)",
			"https://github.com/benoitc/gunicorn/issues/2598 (gunicorn passes an app's HEAD body on)",
			"https://github.com/benoitc/gunicorn/blob/26.1.0/gunicorn/http/wsgi.py (Response._omits_body: write and sendfile drop the body of a HEAD response)",
			"https://github.com/benoitc/gunicorn/blob/26.1.0/docs/content/news.md (26.1.0: WSGI body framing on HEAD/1xx/204/304, #3413)",
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
	if c := headBodyBackend(p.Stack); c != nil {
		outer := p
		p = rules.NewPass(p.Rule, p.File, p.Stack, p.Targets, func(d rules.Diagnostic) {
			headBodyRisk(&d, c)
			outer.Report(d)
		})
	}
	if v, _, ok := p.Stack.NginxVersion(); ok && v.AtLeast(1, 29, 7) {
		return // upstream keep-alive is nginx's default from 1.29.7
	}
	doc := p.Doc()
	peers := peerPasses(p.Stack, p.File)

	for _, up := range f.Upstreams() {
		name := up.Arg(0)
		var proxied []*ngx.Pass
		used := false
		for _, ps := range peers {
			if ps.Variable || ps.Port != "" || !strings.EqualFold(ps.Host, name) {
				continue
			}
			used = true
			if ps.Directive.Name == "proxy_pass" && !webSocketOnly(ps) {
				proxied = append(proxied, ps)
			}
		}
		if !used || len(proxied) == 0 {
			// Unused in view, only uwsgi_pass and friends (which never reuse
			// connections), or only WebSocket locations (an upgraded
			// connection is never returned for reuse).
			continue
		}
		if otherBalancer(up) != nil || !reachesApp(p.Stack, passScheme(proxied), name, ngx.UpstreamServers(up)) {
			continue
		}
		if len(up.Block.FindIncluded("keepalive")) == 0 {
			if sync := syncBackend(p.Stack, ngx.UpstreamServers(up)); sync != nil {
				p.Report(syncInfo(up.HeadSpan(), fmt.Sprintf("upstream %q", name), sync))
				continue
			}
			es := newEditSet(doc)
			// After the servers and the balancing method: nginx drops a
			// keepalive that comes before least_conn, hash, ip_hash or random.
			es.insert(up.Block, append([]string{"server", "include"}, balancers...), fmt.Sprintf("keepalive %d;", p.Targets.UpstreamKeepalive))
			for _, ps := range proxied {
				locationEdits(es, ps)
			}
			p.Report(rules.Diagnostic{
				Span:    up.HeadSpan(),
				Message: fmt.Sprintf("upstream %q has no keepalive: nginx opens a new connection to the backend for every request", name) + es.noteText(),
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
			d := rules.Diagnostic{
				Span: ps.Directive.HeadSpan(),
				Message: fmt.Sprintf("upstream %q sets keepalive, but this location does not proxy with "+
					"proxy_http_version 1.1 and an empty Connection header, so its connections are not reused", name) + es.noteText(),
				Fixes: []rules.Fix{{Message: "use HTTP/1.1 keep-alive in this location", Edits: es.edits()}},
			}
			if other := ps.Directive.Doc(); other != nil && other != doc {
				// A location of another file of the same nginx: reported
				// here, where the upstream is, pointing at it.
				d.Span = up.HeadSpan()
				d.Message = fmt.Sprintf("upstream %q sets keepalive, but a location using it in %s does not proxy with "+
					"proxy_http_version 1.1 and an empty Connection header, so its connections are not reused", name, other.Path) + es.noteText()
				d.Related = []rules.Location{{Doc: other, Span: ps.Directive.HeadSpan(), Message: "proxies to " + name + " without HTTP/1.1 keep-alive"}}
			}
			p.Report(d)
		}
	}

	checkBarePasses(p, f, peers)
}

// passScheme is "https" where every one of ps proxies over TLS, else
// "http".
func passScheme(ps []*ngx.Pass) string {
	for _, p := range ps {
		if p.Scheme != "https" {
			return "http"
		}
	}
	return "https"
}

// balancers are the upstream directives that choose the balancing method.
var balancers = []string{"least_conn", "hash", "ip_hash", "random", "least_time", "sticky"}

// upstreamCore is every directive nginx's own upstream modules (and NGINX
// Plus's) take; anything else in an upstream block comes from another
// module.
var upstreamCore = map[string]bool{
	"server": true, "zone": true, "state": true, "keepalive": true, "keepalive_requests": true,
	"keepalive_time": true, "keepalive_timeout": true, "least_conn": true, "hash": true, "ip_hash": true,
	"random": true, "least_time": true, "sticky": true, "queue": true, "ntlm": true, "resolver": true,
	"resolver_timeout": true,
}

// otherBalancer returns the directive by which another module (Lua's
// balancer_by_lua*, a third-party balancer) runs the upstream, or nil.
// Its connections are that module's business: keepalive is not added.
// Files the upstream includes are read in place; an include of files not
// in view (servers written when the container starts) is returned too:
// what it holds, a keepalive or a balancer, is unknown.
func otherBalancer(up *ngx.Directive) *ngx.Directive {
	return foreignDirective(up.Block, 0)
}

func foreignDirective(b *ngx.Block, depth int) *ngx.Directive {
	for _, d := range b.Directives {
		switch {
		case d.Name == "include" && (len(d.Included) == 0 || depth > 16):
			return d
		case d.Name == "include":
			for _, f := range d.Included {
				if x := foreignDirective(f.Root, depth+1); x != nil {
					return x
				}
			}
		case !upstreamCore[d.Name]:
			return d
		}
	}
	return nil
}

// peerPasses returns the pass directives of every nginx file loaded by the
// same nginx as f, in the stack's order, for upstreams and addresses that
// one file declares and another uses.
func peerPasses(s *stack.Stack, f *stack.File) []*ngx.Pass {
	if s == nil {
		return f.Nginx.Passes()
	}
	var out []*ngx.Pass
	for _, g := range s.NginxPeers(f) {
		if g.Nginx != nil {
			out = append(out, g.Nginx.Passes()...)
		}
	}
	return out
}

// bareTarget is the upstream server a bare proxy_pass reaches: host:port
// with the scheme's port filled in.
func bareTarget(ps *ngx.Pass) string {
	port := ps.Port
	if port == "" && !strings.HasPrefix(ps.Host, "unix:") {
		port = map[string]string{"http": "80", "https": "443"}[ps.Scheme]
	}
	if port == "" {
		return ps.Host
	}
	return ps.Host + ":" + port
}

// proxyHost is the Host header nginx sends by default for a proxy_pass:
// $proxy_host, the host and port written in proxy_pass, without the port
// when it is the scheme's default, and "localhost" for a unix socket.
func proxyHost(ps *ngx.Pass) string {
	if strings.HasPrefix(ps.Host, "unix:") {
		return "localhost"
	}
	if ps.Port == "" || (ps.Scheme == "http" && ps.Port == "80") || (ps.Scheme == "https" && ps.Port == "443") {
		return ps.Host
	}
	return ps.Host + ":" + ps.Port
}

// checkBarePasses flags proxy_pass straight to an address. Passes to the
// same address, in every file the same nginx loads, share one fix: one
// upstream (an existing one for that address, or one created in the file
// of the first pass), carried by the first finding.
func checkBarePasses(p *rules.Pass, f *ngx.File, peers []*ngx.Pass) {
	doc := p.Doc()
	groups := map[string][]*ngx.Pass{}
	var keys []string
	for _, ps := range peers {
		if ps.Directive.Name != "proxy_pass" || ps.Upstream != nil || ps.Variable ||
			(ps.Scheme != "http" && ps.Scheme != "https") || ps.Host == "" {
			continue
		}
		if ps.Port == "" && !strings.HasPrefix(ps.Host, "unix:") && upstreamElsewhere(p.Stack, f, ps.Host) {
			continue // an upstream defined in another file of the stack
		}
		if webSocketOnly(ps) {
			continue // an upgraded connection is never reused: left as it is
		}
		key := ps.Scheme + "://" + strings.ToLower(bareTarget(ps))
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], ps)
	}
	taken := map[string]bool{}
	for _, ps := range peers {
		if !ps.Variable {
			taken[strings.ToLower(ps.Host)] = true
		}
	}
	var ups []*ngx.Directive
	if p.Stack != nil {
		for _, g := range p.Stack.NginxPeers(p.File) {
			if g.Nginx != nil {
				ups = append(ups, g.Nginx.Upstreams()...)
			}
		}
	} else {
		ups = f.Upstreams()
	}
	for _, u := range ups {
		taken[strings.ToLower(u.Arg(0))] = true
	}
	for _, key := range keys {
		group := groups[key]
		first := group[0]
		addr := first.Address()
		target := bareTarget(first)
		var mine []*ngx.Pass
		for _, ps := range group {
			if ps.Directive.Doc() == doc {
				mine = append(mine, ps)
			}
		}
		if len(mine) == 0 {
			continue
		}
		if !reachesApp(p.Stack, first.Scheme, "", []string{addr}) {
			continue
		}
		if sync := syncBackend(p.Stack, []string{addr}); sync != nil {
			for _, ps := range mine {
				p.Report(syncInfo(ps.Directive.HeadSpan(), "proxy_pass to "+addr, sync))
			}
			continue
		}
		msg := fmt.Sprintf("proxy_pass to %s without an upstream block: nginx opens a new connection to the backend "+
			"for every request (keep-alive needs an upstream with keepalive)", addr)
		server := first.Directive.Enclosing("server")
		if server == nil {
			for _, ps := range mine {
				p.Reportf(ps.Directive.HeadSpan(), "%s", msg)
			}
			continue
		}
		owner := first.Directive.Doc()
		if owner != doc {
			for _, ps := range mine {
				p.Report(rules.Diagnostic{Span: ps.Directive.HeadSpan(), Message: msg + fmt.Sprintf(" (fixed together with %s:%d)",
					owner.Path, owner.Position(first.Directive.Span.Start).Line)})
			}
			continue
		}
		es := newEditSet(doc)
		name, existing := "", false
		for _, u := range ups {
			if srv := ngx.UpstreamServers(u); len(srv) == 1 && strings.EqualFold(srv[0], target) && otherBalancer(u) == nil {
				name, existing = u.Arg(0), true
				break
			}
		}
		if !existing {
			name = upstreamName(first, taken)
			taken[name] = true
			es.add(edit.NginxUpstream(doc, server, name, []string{target}, fmt.Sprintf("keepalive %d;", p.Targets.UpstreamKeepalive)))
		}
		safe := true
		for _, ps := range group {
			es.add(edit.NginxReplaceArg(es.docOf(ps.Directive), ps.Directive, 0, ps.Scheme+"://"+name+ps.Path))
			locationEdits(es, ps)
			safe = keepHost(es, ps, peers) && safe
		}
		msg += es.noteText()
		what := fmt.Sprintf("create upstream %s with keepalive 32 and proxy to it over HTTP/1.1", name)
		if existing {
			what = fmt.Sprintf("proxy to upstream %s (already declared for %s) over HTTP/1.1", name, target)
		}
		fix := rules.Fix{Message: what + ", keeping the Host header the backend gets (" + proxyHost(first) + ")", Edits: es.edits()}
		if !safe {
			msg += "; no automatic fix: an upstream changes the Host header nginx sends (to the upstream's name), and here " +
				"either an include headroom cannot see may set Host, or the header list is shared with locations proxying " +
				"elsewhere, so proxy_set_header Host " + proxyHost(first) + " must go in by hand"
		}
		for i, ps := range mine {
			d := rules.Diagnostic{Span: ps.Directive.HeadSpan(), Message: msg}
			if i == 0 && safe {
				d.Fixes = []rules.Fix{fix}
			} else if i > 0 && safe {
				d.Message += fmt.Sprintf(" (fixed together with line %d)", doc.Position(first.Directive.Span.Start).Line)
			}
			p.Report(d)
		}
	}
}

// keepHost plans what keeps the Host header a bare proxy_pass sent
// ($proxy_host, "web:8000") once it names an upstream (whose name would
// become $proxy_host): nothing where the header list in effect sets Host
// already, else `proxy_set_header Host web:8000;` where that list is
// defined. It returns false where that is not certain to be right: an
// include headroom cannot see sits at that level (it may set Host), or
// the list is shared with locations proxying elsewhere.
func keepHost(es *editSet, ps *ngx.Pass, peers []*ngx.Pass) bool {
	b := ps.Directive.Parent
	level, headers := b.EffectiveLevel("proxy_set_header")
	if headerNamed(headers, "Host") != nil {
		return true
	}
	switch unseenHost(b) {
	case hostSet:
		return true
	case hostUnknown:
		return false
	}
	line := "proxy_set_header Host " + proxyHost(ps) + ";"
	if level == nil {
		// No list anywhere: locationEdits starts one in the location.
		es.insert(b, []string{"proxy_pass", "proxy_http_version"}, line)
		return true
	}
	for _, o := range peers {
		if o.Directive.Name != "proxy_pass" || o == ps {
			continue
		}
		if l, _ := o.Directive.Parent.EffectiveLevel("proxy_set_header"); l == level && !strings.EqualFold(proxyHost(o), proxyHost(ps)) {
			return false
		}
	}
	last := headers[len(headers)-1]
	if last.Parent != level {
		if inc := includeHolding(level, last); inc != nil {
			es.insertAfter(inc, line)
		} else {
			es.insert(level, []string{"proxy_set_header", "include"}, line)
		}
		return true
	}
	es.insertAfter(last, line)
	return true
}

// locationEdits plans what the location of ps needs for keep-alive:
// proxy_http_version 1.1 and an empty Connection header. A WebSocket
// location keeps its own settings; one that forces WebSocket headers on
// ordinary HTTP gets HTTP/1.1 and what upgradeEdits plans.
func locationEdits(es *editSet, ps *ngx.Pass) {
	b := ps.Directive.Parent
	if ngx.IsWebSocket(b) {
		if f := forcedUpgrade(ps); f != nil {
			http11(es, b)
			es.note(upgradeEdits(es, f))
		}
		return
	}
	http11(es, b)
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

// http11 plans proxy_http_version 1.1 for b where HTTP/1.0 is in effect.
func http11(es *editSet, b *ngx.Block) {
	if v, d := b.EffectiveValue("proxy_http_version"); v != "1.1" && v != "2" && v != "2.0" {
		if d != nil && d.Parent == b {
			es.add(edit.NginxReplaceArg(es.docOf(d), d, 0, "1.1"))
		} else {
			es.insert(b, []string{"proxy_pass"}, "proxy_http_version 1.1;")
		}
	}
}

const (
	hostNotSet = iota
	hostSet
	hostUnknown
)

// unseenHost says what the includes headroom cannot read (files of the
// host's nginx) do to the Host header at b: Debian's proxy_params sets it
// ($http_host); the type and parameter files nginx packages ship, and the
// conf.d/sites globs of an http block, hold no proxy headers; anything
// else may.
func unseenHost(b *ngx.Block) int {
	for x, depth := b, 0; x != nil && depth < 64; x, depth = x.Outer(), depth+1 {
		for _, inc := range x.Find("include") {
			if len(inc.Included) > 0 {
				continue
			}
			arg := inc.Arg(0)
			base := path.Base(arg)
			switch {
			case base == "proxy_params":
				return hostSet
			case strings.HasSuffix(base, ".types"), base == "fastcgi_params", base == "fastcgi.conf",
				base == "uwsgi_params", base == "scgi_params":
			case strings.ContainsAny(arg, "*?") && (x.Owner == nil || x.Owner.Name == "http"):
			default:
				return hostUnknown
			}
		}
	}
	return hostNotSet
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
	nonName = regexp.MustCompile(`[^a-z0-9-]+`)
	// ipLike matches IPv4 and bracketed IPv6 addresses, which make poor names.
	ipLike = regexp.MustCompile(`^(\[.*\]|[0-9.]+)$`)
)

// upstreamName names the upstream created for a bare proxy_pass after its
// host, as a valid host name itself (letters, digits and hyphens: the name
// becomes $proxy_host, and Django answers 400 to a Host with an
// underscore). It differs from every host and upstream name in use: nginx
// refuses `proxy_pass http://web:8000` next to an upstream called web.
func upstreamName(ps *ngx.Pass, taken map[string]bool) string {
	host := strings.ToLower(ps.Host)
	if strings.HasPrefix(host, "unix:") {
		host = host[strings.LastIndexByte(host, '/')+1:]
		host = strings.TrimSuffix(host, ".sock")
	}
	base := strings.Trim(nonName.ReplaceAllString(host, "-"), "-")
	if base == "" || host == "localhost" || ipLike.MatchString(host) {
		base = "app"
	}
	name := base + "-backend"
	if taken[name] && ps.Port != "" {
		name = base + "-" + ps.Port + "-backend"
	}
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-backend-%d", base, i)
	}
	return name
}

// headBodyBackend returns a gunicorn command of the stack that keeps
// connections alive under a WSGI app (gthread, gevent or eventlet
// workers), or nil. gunicorn sends whatever body a WSGI app writes for a
// HEAD request (Django writes the GET body) and leaves dropping it to the
// app (benoitc/gunicorn#1079, #2598); on a kept-alive upstream connection
// nginx reads no body after a HEAD, so those bytes are taken as the next
// response and that request fails or hangs. Uvicorn drops HEAD bodies, and
// so does gunicorn from 26.1.0 (gunicorn/http/wsgi.py, Response.write and
// sendfile with _omits_body; its news for 26.1.0, #3413): with gunicorn >=
// 26.1 proven by the requirements there is no such backend.
func headBodyBackend(s *stack.Stack) *stack.Command {
	if g, ok := s.Version("gunicorn"); ok && g.Version.AtLeast(26, 1) {
		return nil
	}
	for _, c := range s.Commands {
		if c.Server == nil || c.Server.Program != "gunicorn" {
			continue
		}
		switch servercmd.ClassKind(s.WorkerClass(c)) {
		case "gthread", "gevent", "eventlet":
			return c
		}
	}
	return nil
}

// headBodyRisk turns a keep-alive fix in front of such a backend into an
// unsafe one, saying why.
func headBodyRisk(d *rules.Diagnostic, c *stack.Command) {
	if len(d.Fixes) == 0 {
		return
	}
	d.Message += fmt.Sprintf("; the fix is unsafe here: %s runs gunicorn's %s worker, which sends the body a WSGI app writes for a HEAD request (Django writes one), and on a kept-alive connection nginx takes those bytes as the next response; drop HEAD bodies in the app, serve with Uvicorn, or move to gunicorn 26.1 or later (which drops them) first",
		c.File.Doc.Path, servercmd.ClassKind(c.Server.WorkerClass()))
	for i := range d.Fixes {
		d.Fixes[i].Applicability = rules.Unsafe
	}
	d.Related = append(d.Related, rules.Location{Doc: c.File.Doc, Span: c.Server.Argv.Span, Message: "gunicorn keeps connections alive here"})
}
