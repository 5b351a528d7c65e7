package nginx

import (
	"fmt"
	"regexp"
	"strings"

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
		Fix: `No automatic fix: add proxy_set_header X-Forwarded-Proto $scheme; (or
X-Forwarded-Host $host;) to every location proxying to Django, or remove the
setting; set SECURE_PROXY_SSL_HEADER where nginx terminates TLS.`,
		Bad: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# location / { proxy_pass http://app; proxy_set_header Host $host; }`,
		Good: `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# location / { proxy_pass http://app; proxy_set_header Host $host;
#              proxy_set_header X-Forwarded-Proto $scheme; }`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header",
			"https://docs.djangoproject.com/en/stable/ref/settings/#use-x-forwarded-host",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
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
		for _, ps := range passes {
			if unseen(ps) {
				continue
			}
			if !sends(ps, ch.header) {
				loc := ps.Location()
				where := "server level"
				if loc != nil {
					where = "location " + strings.Join(loc.Values(), " ")
				}
				rel = append(rel, rules.Location{Doc: ps.doc, Span: ps.Directive.HeadSpan(), Message: where + " does not set " + ch.header})
			}
		}
		if len(rel) == 0 {
			continue
		}
		p.Report(rules.Diagnostic{
			Span: ch.o.Span(),
			Message: fmt.Sprintf("%s trusts %s, but nginx does not set it in %d proxying location(s), so the client's own header passes through: %s; add proxy_set_header %s there",
				ch.name, ch.header, len(rel), ch.why, ch.header+map[bool]string{true: " $scheme", false: " $host"}[ch.name == "SECURE_PROXY_SSL_HEADER"]),
			Related: rel,
		})
	}
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

// terminatesTLS reports whether a server block listens with ssl.
func terminatesTLS(srv *ngx.Directive) bool {
	for _, l := range srv.Block.Find("listen") {
		for _, a := range l.Args {
			if a.Value == "ssl" {
				return true
			}
		}
	}
	return false
}
