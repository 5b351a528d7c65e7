package nginx

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// ProxyHeaders is HR408.
var ProxyHeaders = &rules.Rule{
	ID:       "HR408",
	Name:     "proxy-headers",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython, parsers.KindNginx},
	Doc: rules.Doc{
		Title: "Django trusts forwarded headers nginx does not set (or nginx sets one Django ignores)",
		Why: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") tells Django to believe
that header about the scheme, and USE_X_FORWARDED_HOST = True to take the host from
X-Forwarded-Host. Django's docs are explicit: only set them when the proxy always sets
(and so overwrites) the header. A proxy_pass location without proxy_set_header for it
passes the client's own header through: anyone can claim https (cookies marked secure,
SECURE_SSL_REDIRECT skipped) or any host (password-reset links to an attacker's
domain); and where no client sends it, request.is_secure() is always False behind a
TLS-terminating nginx (redirect loops with SECURE_SSL_REDIRECT). The reverse: nginx
terminates TLS (listen ... ssl) and sends X-Forwarded-Proto, but no settings module sets
SECURE_PROXY_SSL_HEADER, so Django sees every request as http: absolute URLs, CSRF
origin checks and secure redirects all go wrong (reported as info). Locations that
proxy WebSocket upgrades are checked like the others.`,
		Impact: "spoofable scheme and host, or https requests Django takes for http",
		Fix: `No automatic fix. Where nginx itself terminates TLS (a listen ... ssl in the
server), add proxy_set_header X-Forwarded-Proto $scheme; to every location proxying to
Django. Where it does not, $scheme is always http: behind a TLS load balancer Django would
take every request for insecure, and SECURE_SSL_REDIRECT would redirect each one back to
itself (a loop, also reported when nginx already sends $scheme there); pass the load
balancer's header on instead (proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto),
which is only right when the load balancer always sets it. For USE_X_FORWARDED_HOST add
proxy_set_header X-Forwarded-Host $host;, or remove the setting. Set
SECURE_PROXY_SSL_HEADER where nginx terminates TLS.`,
		Bad: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# location / { proxy_pass http://app; proxy_set_header Host $host; }`,
		Good: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# location / { proxy_pass http://app; proxy_set_header Host $host;
#              proxy_set_header X-Forwarded-Proto $scheme; }`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header",
			"https://docs.djangoproject.com/en/stable/ref/settings/#use-x-forwarded-host",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#var_scheme",
			"https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect",
		},
		Since: "0.1.0",
	},
	Check: checkProxyHeaders,
}

func init() { rules.Register(ProxyHeaders) }

var metaHeader = regexp.MustCompile(`["']HTTP_([A-Za-z0-9_]+)["']`)

// docPass is a pass and the file it is in.
type docPass struct {
	*ngx.Pass
	doc *parsers.Document
}

// proxyPasses returns every HTTP proxy_pass of the stack's nginx files.
func proxyPasses(s *stack.Stack) []docPass {
	var out []docPass
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		for _, ps := range f.Nginx.Passes() {
			if ps.Directive.Name == "proxy_pass" && (ps.Scheme == "http" || ps.Scheme == "https") {
				out = append(out, docPass{ps, f.Doc})
			}
		}
	}
	return out
}

// sends reports whether the location of ps sets the header.
func sends(ps docPass, header string) bool {
	for _, d := range ps.Directive.Parent.Effective("proxy_set_header") {
		if strings.EqualFold(d.Arg(0), header) {
			return true
		}
	}
	return false
}

// unseen reports whether some other file may set headers or settings
// headroom does not see: an include where the pass is.
func unseen(ps docPass) bool { return ps.Directive.Parent.HasInclude() }

func checkProxyHeaders(p *rules.Pass) {
	passes := proxyPasses(p.Stack)
	if len(passes) == 0 {
		return
	}
	if m := p.File.Python; m != nil {
		checkTrustedHeader(p, m, passes)
		return
	}
	if p.File.Nginx != nil {
		checkIgnoredProto(p)
	}
}

func checkTrustedHeader(p *rules.Pass, m *python.Module, passes []docPass) {
	type setting struct {
		name, header, why string
	}
	var checks []struct {
		setting
		o *python.Object
	}
	if o := m.Names["SECURE_PROXY_SSL_HEADER"]; o != nil && !o.Conditional && o.Expr != nil {
		if mm := metaHeader.FindStringSubmatch(p.Doc().Text(o.Expr.Span)); mm != nil {
			h := strings.ReplaceAll(mm[1], "_", "-")
			checks = append(checks, struct {
				setting
				o *python.Object
			}{setting{"SECURE_PROXY_SSL_HEADER", h, "a client can claim https itself, and behind TLS Django never sees https"}, o})
		}
	}
	if o := m.Names["USE_X_FORWARDED_HOST"]; o != nil && !o.Conditional {
		if l, ok := o.Value().Effective(); ok && l.Truthy() {
			checks = append(checks, struct {
				setting
				o *python.Object
			}{setting{"USE_X_FORWARDED_HOST", "X-Forwarded-Host", "a client chooses the host Django builds absolute URLs (password-reset links) with"}, o})
		}
	}
	for _, ch := range checks {
		var rel []rules.Location
		tls, plain := 0, 0
		for _, ps := range passes {
			if unseen(ps) {
				continue
			}
			if !sends(ps, ch.header) {
				rel = append(rel, rules.Location{Doc: ps.doc, Span: ps.Directive.HeadSpan(), Message: passWhere(ps) + " does not set " + ch.header})
				if srv := ps.Directive.Enclosing("server"); srv != nil && terminatesTLS(srv) {
					tls++
				} else {
					plain++
				}
			}
		}
		if len(rel) == 0 {
			continue
		}
		add := "add proxy_set_header " + ch.header + " $host there"
		if ch.name == "SECURE_PROXY_SSL_HEADER" {
			add = protoAdvice(ch.header, tls, plain)
		}
		p.Report(rules.Diagnostic{
			Span: ch.o.Span(),
			Message: fmt.Sprintf("%s trusts %s, but nginx does not set it in %s, so the client's own header passes through: %s; %s",
				ch.name, ch.header, text.Count(len(rel), "proxying location", "proxying locations"), ch.why, add),
			Related: rel,
		})
	}
	checkSchemeLoop(p, m, passes)
}

// passWhere names the block a pass is in, for messages.
func passWhere(ps docPass) string {
	if loc := ps.Location(); loc != nil {
		return "location " + strings.Join(loc.Values(), " ")
	}
	return "server level"
}

// protoAdvice is what to set the scheme header to: $scheme only where
// nginx itself terminates TLS. Behind a TLS load balancer nginx receives
// plain http, $scheme is always "http", and Django, told every request is
// insecure, redirects each one to https under SECURE_SSL_REDIRECT: a loop.
// There the load balancer's own header is the one to pass on.
func protoAdvice(header string, tls, plain int) string {
	const behind = "proxy_set_header " + "%s $http_x_forwarded_proto (the header of the TLS load balancer in front, which must set it on every request); " +
		"not $scheme: nginx receives plain http from the load balancer, $scheme is always http, and with SECURE_SSL_REDIRECT every request redirects to itself"
	switch {
	case plain == 0:
		return "add proxy_set_header " + header + " $scheme there (nginx terminates TLS in their servers)"
	case tls == 0:
		return "these servers do not terminate TLS (no listen ... ssl), so if a TLS load balancer sits in front, pass its header on: " + fmt.Sprintf(behind, header)
	}
	return "where nginx terminates TLS add proxy_set_header " + header + " $scheme; in servers without TLS (behind a TLS load balancer) " + fmt.Sprintf(behind, header)
}

// checkSchemeLoop flags SECURE_SSL_REDIRECT with Django trusting
// X-Forwarded-Proto that nginx sets to $scheme in a server that does not
// terminate TLS: $scheme is http there, so Django redirects every request
// to https, and behind a TLS load balancer the redirect comes back as http
// again.
func checkSchemeLoop(p *rules.Pass, m *python.Module, passes []docPass) {
	o := m.Names["SECURE_PROXY_SSL_HEADER"]
	r := m.Names["SECURE_SSL_REDIRECT"]
	if o == nil || o.Conditional || o.Expr == nil || r == nil || r.Conditional {
		return
	}
	mm := metaHeader.FindStringSubmatch(p.Doc().Text(o.Expr.Span))
	if mm == nil || !strings.EqualFold(mm[1], "X_FORWARDED_PROTO") {
		return
	}
	if l, ok := r.Value().Effective(); !ok || !l.Truthy() {
		return
	}
	var rel []rules.Location
	for _, ps := range passes {
		srv := ps.Directive.Enclosing("server")
		if srv == nil || terminatesTLS(srv) {
			continue
		}
		for _, d := range ps.Directive.Parent.Effective("proxy_set_header") {
			if strings.EqualFold(d.Arg(0), "X-Forwarded-Proto") && d.Arg(1) == "$scheme" {
				rel = append(rel, rules.Location{Doc: d.Doc(), Span: d.HeadSpan(), Message: passWhere(ps) + " sends X-Forwarded-Proto $scheme from a server without TLS"})
			}
		}
	}
	if len(rel) == 0 {
		return
	}
	p.Report(rules.Diagnostic{
		Span: r.Span(),
		Message: "SECURE_SSL_REDIRECT with SECURE_PROXY_SSL_HEADER, but nginx sends X-Forwarded-Proto $scheme from servers that do not terminate TLS: " +
			"$scheme is always http there, so Django redirects every request to https, and behind a TLS load balancer the redirected request " +
			"arrives as http again (a redirect loop); pass the load balancer's header instead (proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto)",
		Related: rel,
	})
}

func checkIgnoredProto(p *rules.Pass) {
	for _, f := range p.Stack.Files {
		if f.Python == nil {
			continue
		}
		if _, ok := f.Python.Names["SECURE_PROXY_SSL_HEADER"]; ok || len(f.Python.StarImports) > 0 {
			return
		}
	}
	settings := false
	for _, f := range p.Stack.Files {
		if f.Python != nil && f.Python.Names["INSTALLED_APPS"] != nil {
			settings = true
		}
	}
	if !settings {
		return // no settings module to speak of
	}
	for _, ps := range p.File.Nginx.Passes() {
		dp := docPass{ps, p.Doc()}
		if ps.Directive.Name != "proxy_pass" || !sends(dp, "X-Forwarded-Proto") {
			continue
		}
		srv := ps.Directive.Enclosing("server")
		if srv == nil || !terminatesTLS(srv) {
			continue
		}
		p.Report(rules.Diagnostic{
			Severity: rules.Info,
			Span:     ps.Directive.HeadSpan(),
			Message:  "nginx terminates TLS and sends X-Forwarded-Proto, but no settings module sets SECURE_PROXY_SSL_HEADER: Django sees every request as http (request.is_secure() is False); set SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")",
		})
	}
}

// terminatesTLS reports whether a server block takes TLS itself: a listen
// with ssl (or quic), or a certificate and the old `ssl on`.
func terminatesTLS(srv *ngx.Directive) bool {
	for _, l := range srv.Block.Find("listen") {
		for _, a := range l.Args {
			if a.Value == "ssl" || a.Value == "quic" {
				return true
			}
		}
	}
	if v, _ := srv.Block.EffectiveValue("ssl"); v == "on" {
		return true
	}
	return false
}
