package nginx

import (
	"fmt"
	"path"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Gzip is HR402.
var Gzip = &rules.Rule{
	ID:       "HR402",
	Name:     "nginx-gzip",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "nginx compresses text responses",
		Why: "JSON, CSS and JavaScript compress to a fraction of their size; sent uncompressed they take " +
			"longer on every slow link and hold nginx connections (and, without buffering, backend " +
			"workers) for longer. nginx compresses nothing unless `gzip on;` applies to the server, and " +
			"even then only text/html unless `gzip_types` names more. The official nginx Docker image's " +
			"nginx.conf leaves gzip off (`#gzip on;`); Debian's and Ubuntu's turn it on, and a conf.d " +
			"snippet inherits whichever nginx.conf includes it. text/html is always compressed once gzip " +
			"is on (listing it makes nginx warn about a duplicate type), and text/event-stream must stay " +
			"out: compressing Server-Sent Events buffers them. Add `gzip_vary on;` when caches sit in " +
			"front of nginx.",
		Impact: "Part of the report's nginx change: \"20-30% faster response times\".",
		Fix: "Writes `gzip on;`, `gzip_types text/plain text/css application/json application/javascript " +
			"text/javascript;` and `gzip_min_length 1000;` (those not already in effect) in the http " +
			"block, or in each server of a conf.d snippet. Safe: clients that do not send Accept-Encoding: gzip still get plain responses. " +
			"Where a snippet lands decides what it inherits: an nginx.conf of the stack that includes it " +
			"(followed through include), the official image (a compose mount or COPY into " +
			"/etc/nginx/conf.d: gzip off), or a Debian/Ubuntu sites-available file (gzip on, so only " +
			"gzip_types is added). When nothing in view says, the finding is info (\"unknown host config\") " +
			"and its fix unsafe. An explicit `gzip off` at http or server level is reported as info with " +
			"an unsafe fix: it is often deliberate, as on TLS sites where compressing responses that mix a " +
			"secret (a CSRF token) with attacker-controlled input leaks the secret (BREACH). A " +
			"`gzip off` inside a location is left alone (it is how streaming endpoints opt out). Where the " +
			"config says nginx sits behind another proxy (set_real_ip_from, real_ip_header, listen ... " +
			"proxy_protocol), the finding also names gzip_proxied: requests through a CDN or load balancer " +
			"carry a Via header, and nginx compresses none of them by default. Quiet on a server that only " +
			"redirects (a 3xx `return` or a redirect `rewrite`, nothing else that serves a body) or answers " +
			"every request with a `return` (a health check's `return 200 \"ok\"`), on a server whose " +
			"locations turn gzip on themselves (the author chose where to compress), and where " +
			"gzip's value is a template placeholder (`gzip ${NGINX_GZIP_SWITCH};` in an envsubst template): " +
			"what it becomes is decided when the container starts. The http block is quiet when every server " +
			"nginx reads into it turns gzip on (or leaves it to a placeholder): its own servers, those of the " +
			"files it includes, and, where it includes files not in view (conf.d files rendered from " +
			"templates when the container starts), the server files of its folder that nothing in view " +
			"places; a server of the file whose own `gzip on` has no gzip_types in effect is then reported " +
			"at that `gzip on` (gzip_types defaults to text/html), with the fix adding the types after it.",
		Bad: "http {\n    sendfile on;\n    server {\n        listen 80;\n    }\n}",
		Good: "http {\n    sendfile on;\n    gzip on;\n    gzip_types text/plain text/css application/json application/javascript text/javascript;\n" +
			"    gzip_min_length 1000;\n    server {\n        listen 80;\n    }\n}",
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_gzip_module.html",
			"https://nginx.org/en/docs/http/ngx_http_gzip_module.html#gzip_types",
			"https://nginx.org/en/docs/http/ngx_http_gzip_module.html#gzip_proxied",
			"https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.gzip",
			"https://www.breachattack.com/",
		},
		Since: "0.1.0",
	},
	Check: checkGzip,
}

func init() { rules.Register(Gzip) }

const gzipOn = "gzip on;"

var gzipNames = []string{"gzip", "gzip_types", "gzip_min_length", "gzip_vary", "gzip_proxied", "gzip_comp_level"}

func checkGzip(p *rules.Pass) {
	f := p.File.Nginx
	if f == nil {
		return
	}
	if h := f.HTTP(); h != nil {
		// The servers nginx reads into this http block: its own, those of
		// the files it includes, and, where an include names files not in
		// view, the stack's server files nothing else places.
		servers := h.Block.FindIncluded("server")
		if unseenServers(h.Block) {
			servers = append(servers, unplacedServers(p, p.File)...)
		}
		checkGzipLevel(p, h, servers, nil)
		return
	}
	if len(f.Servers()) == 0 {
		return
	}
	// A conf.d or sites snippet: what it inherits depends on the nginx.conf
	// that includes it, which decides where it lands.
	host, why := stack.HostUnknown, ""
	if p.Stack != nil {
		host, why = p.Stack.NginxHost(p.File)
	}
	switch host {
	case stack.HostInView:
		// The including file's http level is the servers' outer block.
		for _, s := range f.Servers() {
			checkGzipLevel(p, s, nil, nil)
		}
	case stack.HostOfficialImage:
		for _, s := range f.Servers() {
			checkGzipLevel(p, s, nil, func(d *rules.Diagnostic) {
				d.Message += " (" + why + ", whose nginx.conf leaves gzip off)"
			})
		}
	case stack.HostDebian:
		for _, s := range f.Servers() {
			checkDebianServer(p, s, why)
		}
	default:
		// Top-level gzip lines of the snippet count (they are http-level
		// where it is included); what the host's nginx.conf sets is not in
		// view.
		for _, s := range f.Servers() {
			checkGzipLevel(p, s, nil, func(d *rules.Diagnostic) {
				d.Severity = rules.Info
				d.Message += " (unknown host config: nothing in view says which nginx.conf includes this file; the official image's leaves gzip off, Debian's turns it on)"
				for i := range d.Fixes {
					d.Fixes[i].Applicability = rules.Unsafe
				}
			})
		}
	}
}

// checkDebianServer checks a server of a Debian or Ubuntu site file: the
// distribution's nginx.conf turns gzip on but leaves gzip_types commented
// out, so only text/html is compressed unless the site says more.
func checkDebianServer(p *rules.Pass, s *ngx.Directive, why string) {
	doc := p.Doc()
	b := s.Block
	v, g := b.EffectiveValue("gzip")
	if g != nil && v != "on" {
		checkGzipLevel(p, s, nil, nil)
		return
	}
	if len(b.Effective("gzip_types")) > 0 {
		return
	}
	es := newEditSet(doc)
	es.insertSettings(b, gzipNames, missingGzip(p.Targets, b)...)
	p.Report(rules.Diagnostic{
		Span:    s.HeadSpan(),
		Message: "gzip is on in Debian's and Ubuntu's nginx.conf but gzip_types is not set (" + why + "): only text/html is compressed, JSON, CSS and JavaScript are not",
		Fixes:   []rules.Fix{{Message: "compress JSON, CSS and JavaScript too", Edits: es.edits()}},
	})
}

// checkGzipLevel checks block directive lvl (http, or a server of a snippet)
// and, for http, the servers in it.
func checkGzipLevel(p *rules.Pass, lvl *ngx.Directive, servers []*ngx.Directive, note func(*rules.Diagnostic)) {
	doc := p.Doc()
	report := func(d rules.Diagnostic) {
		if note != nil {
			note(&d)
		}
		if behindProxy(lvl.Block) && len(lvl.Block.Effective("gzip_proxied")) == 0 {
			d.Message += behindProxyNote
		}
		p.Report(d)
	}
	b := lvl.Block
	if lvl.Name == "server" && (redirectOnly(b) || gzipInLocation(b)) {
		// A server that only redirects or answers with `return` sends no
		// body worth compressing; one whose locations turn gzip on chose
		// where to compress.
		return
	}
	v, g := b.EffectiveValue("gzip")
	if placeholder(v) {
		return // an envsubst template's ${VAR}: decided when the container starts
	}
	switch {
	case g == nil:
		// Quiet when every server that serves content turns gzip on itself.
		if len(servers) > 0 {
			all := true
			for _, s := range servers {
				sv, _ := s.Block.EffectiveValue("gzip")
				if sv != "on" && !placeholder(sv) && !redirectOnly(s.Block) && !gzipInLocation(s.Block) {
					all = false
				}
			}
			if all {
				// Each server of this file that turns gzip on still
				// compresses only text/html without gzip_types.
				for _, s := range servers {
					if s.Doc() != doc || redirectOnly(s.Block) || gzipInLocation(s.Block) {
						continue
					}
					if sg := s.Block.Last("gzip"); sg != nil && sg.Arg(0) == "on" && len(s.Block.Effective("gzip_types")) == 0 {
						report(typesMissing(doc, p.Targets, sg))
					}
				}
				return
			}
		}
		es := newEditSet(doc)
		es.insertSettings(b, gzipNames, missingGzip(p.Targets, b, gzipOn)...)
		report(rules.Diagnostic{
			Span:    lvl.HeadSpan(),
			Message: "gzip is not enabled" + where(lvl) + ": JSON, CSS and JavaScript responses go out uncompressed",
			Fixes:   []rules.Fix{{Message: "enable gzip for text types", Edits: es.edits()}},
		})
		return
	case v != "on":
		if len(g.Args) == 0 {
			return // `gzip;` is nginx -t's error to report, not a value to replace (found by FuzzFixNginx)
		}
		es := newEditSet(doc)
		es.add(edit.NginxReplaceArg(es.docOf(g), g, 0, "on"))
		for _, l := range missingGzip(p.Targets, g.Parent) {
			es.insertAfter(g, l)
		}
		report(explicitOff(g, "gzip "+v+where(g.Outer())+": responses go out uncompressed", es.edits()))
	case len(g.Parent.Effective("gzip_types")) == 0:
		report(typesMissing(doc, p.Targets, g))
	}
	for _, s := range servers {
		if s.Doc() != doc {
			continue // a server of another file: checked with that file
		}
		if sg := s.Block.Last("gzip"); sg != nil && sg.Arg(0) != "on" && !placeholder(sg.Arg(0)) && !redirectOnly(s.Block) {
			report(explicitOff(sg, "gzip "+sg.Arg(0)+" in this server: its responses go out uncompressed",
				[]edit.TextEdit{edit.NginxReplaceArg(doc, sg, 0, "on")}))
		}
	}
}

// typesMissing is the finding for `gzip on` g with no gzip_types in
// effect: nginx compresses only text/html (the directive's default), so
// the fix adds the text types (and gzip_min_length) after it.
func typesMissing(doc *parsers.Document, t *rules.Targets, g *ngx.Directive) rules.Diagnostic {
	es := newEditSet(doc)
	for _, l := range missingGzip(t, g.Parent) {
		es.insertAfter(g, l)
	}
	return rules.Diagnostic{
		Span:    g.HeadSpan(),
		Message: "gzip is on but gzip_types is not set: only text/html is compressed, JSON, CSS and JavaScript are not",
		Fixes:   []rules.Fix{{Message: "compress JSON, CSS and JavaScript too", Edits: es.edits()}},
	}
}

// explicitOff is the finding for a `gzip off` the author wrote: often
// deliberate (BREACH: compressed HTTPS responses that mix a secret with
// what an attacker sends leak the secret), so it is information and the
// fix that turns it on is unsafe.
func explicitOff(g *ngx.Directive, msg string, edits []edit.TextEdit) rules.Diagnostic {
	msg += "; an explicit gzip off is often deliberate (BREACH: compressing HTTPS responses that carry " +
		"secrets such as CSRF tokens beside user input), so check why before turning it on"
	return rules.Diagnostic{
		Severity: rules.Info,
		Span:     g.HeadSpan(),
		Message:  msg,
		Fixes:    []rules.Fix{{Message: "turn gzip on", Applicability: rules.Unsafe, Edits: edits}},
	}
}

const behindProxyNote = "; nginx sits behind a proxy here (real_ip or proxy_protocol): requests that came through a CDN or " +
	"load balancer carry a Via header, and nginx compresses those only with gzip_proxied (off by default), e.g. gzip_proxied any"

// behindProxy reports whether b's configuration says nginx receives its
// requests from another proxy: set_real_ip_from or real_ip_header in
// effect, or a listen with proxy_protocol.
func behindProxy(b *ngx.Block) bool {
	if len(b.Effective("set_real_ip_from")) > 0 || len(b.Effective("real_ip_header")) > 0 {
		return true
	}
	for x := b; x != nil; x = x.Outer() {
		for _, l := range x.Find("listen") {
			for _, a := range l.Args {
				if a.Value == "proxy_protocol" {
					return true
				}
			}
		}
	}
	return false
}

// missingGzip returns first, then the type and size settings not already in
// effect in b.
func missingGzip(t *rules.Targets, b *ngx.Block, first ...string) []string {
	out := first
	if len(b.Effective("gzip_types")) == 0 && len(t.GzipTypes) > 0 {
		out = append(out, "gzip_types "+strings.Join(t.GzipTypes, " ")+";")
	}
	if len(b.Effective("gzip_min_length")) == 0 && t.GzipMinLength > 0 {
		out = append(out, fmt.Sprintf("gzip_min_length %d;", t.GzipMinLength))
	}
	return out
}

func where(d *ngx.Directive) string {
	if d == nil {
		return ""
	}
	switch d.Name {
	case "http":
		return " in the http block"
	case "server":
		return " for this server"
	}
	return ""
}

// placeholder reports whether a value is a template placeholder
// (envsubst's ${VAR}, Jinja's {{ var }}) that is only decided when the
// container starts.
func placeholder(v string) bool {
	return strings.Contains(v, "${") || strings.Contains(v, "{{")
}

// redirectOnly reports whether a server block only redirects: a `return`
// with a 3xx code (or a bare URL, a 302) at server level, and no location,
// proxy or root that would serve a body; or whether it answers every
// request with a `return` from its locations (a health check's
// `return 200 "ok"`), which sends no body worth compressing.
func redirectOnly(b *ngx.Block) bool {
	if b == nil {
		return false
	}
	redirects := false
	for _, d := range b.Directives {
		switch d.Name {
		case "listen", "server_name", "ssl_certificate", "ssl_certificate_key", "access_log", "error_log":
		case "location":
			if !returnsOnly(d.Block) {
				return false
			}
			redirects = true
		case "return":
			code := d.Arg(0)
			if strings.HasPrefix(code, "30") || strings.HasPrefix(code, "http") || strings.HasPrefix(code, "$scheme") {
				redirects = true
			} else {
				return false
			}
		case "rewrite":
			if last := d.Arg(len(d.Args) - 1); last == "redirect" || last == "permanent" {
				redirects = true
			} else {
				return false
			}
		default:
			if strings.HasPrefix(d.Name, "ssl_") {
				continue
			}
			return false
		}
	}
	return redirects
}

// returnsOnly reports whether a location answers with a `return` and does
// nothing else that could send a body (no proxy, file or nested location).
func returnsOnly(b *ngx.Block) bool {
	if b == nil {
		return false
	}
	returns := false
	for _, d := range b.Directives {
		switch d.Name {
		case "return":
			returns = true
		case "access_log", "error_log", "default_type", "add_header", "allow", "deny", "log_not_found":
		default:
			return false
		}
	}
	return returns
}

// gzipInLocation reports whether a location of b (at any depth) turns gzip
// on itself: the author chose where to compress.
func gzipInLocation(b *ngx.Block) bool {
	for _, d := range b.Directives {
		if d.Name != "location" || d.Block == nil {
			continue
		}
		if g := d.Block.Last("gzip"); g != nil && (g.Arg(0) == "on" || placeholder(g.Arg(0))) {
			return true
		}
		if gzipInLocation(d.Block) {
			return true
		}
	}
	return false
}

// unseenServers reports whether the http block b includes files headroom
// does not see (an include nothing in view matches): servers may come
// from them.
func unseenServers(b *ngx.Block) bool {
	for _, d := range b.Find("include") {
		if len(d.Included) == 0 && !strings.HasSuffix(d.Arg(0), ".types") {
			return true
		}
	}
	return false
}

// unplacedServers are the servers of the stack's nginx snippets that
// nothing in view places (no include reaches them, no mount or COPY puts
// them anywhere) and that sit in main's folder or beneath it: what an
// include of main that names files not in view most likely reads (a
// template rendered into conf.d when the container starts).
func unplacedServers(p *rules.Pass, main *stack.File) []*ngx.Directive {
	if p.Stack == nil {
		return nil
	}
	dir := path.Dir(path.Clean(main.Doc.Path))
	var out []*ngx.Directive
	for _, f := range p.Stack.Files {
		if f == main || f.Nginx == nil || f.Nginx.HTTP() != nil {
			continue
		}
		if dir != "." && !strings.HasPrefix(path.Clean(f.Doc.Path), dir+"/") {
			continue
		}
		if host, _ := p.Stack.NginxHost(f); host != stack.HostUnknown {
			continue
		}
		out = append(out, f.Nginx.Servers()...)
	}
	return out
}
