package observability

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// NginxTiming is HR804.
var NginxTiming = &rules.Rule{
	ID:       "HR804",
	Name:     "nginx-timing-log",
	Phase:    3,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "nginx's access log has no request or upstream timings",
		Why: `nginx's default "combined" log format has no timing. $request_time (the whole
request, client included) and $upstream_response_time (the app server's share, per
upstream try) are what show where latency comes from and give the p50/p95/p99 the
report asks to monitor, without any agent.`,
		Impact: "the report's monitoring list: response time distribution (p50, p95, p99)",
		Fix: `Adds a log_format with the fields of the format it takes over (nginx's combined,
or the official image's main, which adds X-Forwarded-For) followed by rt=$request_time
uct=$upstream_connect_time uht=$upstream_header_time urt=$upstream_response_time, as
nginx's own guide writes it, and logs with it. In a whole nginx.conf it goes on the http
block's access_log (or adds access_log /var/log/nginx/access.log, the path both the
official image and Debian use, replacing nginx's built-in default). A conf.d or sites
snippet sits at the http level of an nginx.conf that already logs there (the official
image and Debian both do), and several access_log lines on one level each log every
request: so each server of the snippet gets its own access_log, which replaces the
inherited one for that server. A log_format name is declared once per nginx (nginx
refuses a second): where several snippets of one nginx need one, each gets its own name
(timing_api, timing_admin). A format of the author's own (JSON, a custom line) is never
replaced: the finding says which fields to add to it, with no fix. Safe: the original
fields come first, so parsers of the old format still read the lines. An access_log that
is off is left alone.`,
		Bad: `http {
    include mime.types;
}`,
		Good: `http {
    include mime.types;
    log_format timing '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" "$http_user_agent" '
                      'rt=$request_time uct=$upstream_connect_time uht=$upstream_header_time urt=$upstream_response_time';
    access_log /var/log/nginx/access.log timing;
}`,
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format",
			"https://nginx.org/en/docs/http/ngx_http_log_module.html#access_log",
			"https://github.com/nginx/docker-nginx/blob/master/stable/debian/nginx.conf",
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#var_upstream_response_time",
			"https://blog.nginx.org/blog/using-nginx-logging-for-application-performance-monitoring",
		},
		Since: "0.2.0",
	},
	Check: checkNginxTiming,
}

func init() { rules.Register(NginxTiming) }

// The timing fields nginx's logging guide adds, after the fields of the
// format they extend.
const timingFields = `rt=$request_time uct=$upstream_connect_time uht=$upstream_header_time urt=$upstream_response_time`

// combinedFields is nginx's predefined combined format; mainFields the
// official image's "main" format (combined and X-Forwarded-For).
const (
	combinedFields = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`
	mainFields     = combinedFields + ` "$http_x_forwarded_for"`
)

func quoted(fields string) string { return "'" + fields + " " + timingFields + "'" }

// nginxFormats are the log formats of one nginx: those its files declare,
// by name.
type nginxFormats map[string]*nginx.Directive

func (fs nginxFormats) timed(name string) bool {
	d := fs[name]
	if d == nil {
		return false
	}
	text := strings.Join(d.Values(), " ")
	return strings.Contains(text, "$request_time") && strings.Contains(text, "$upstream_response_time")
}

// replaceable reports whether an access_log's format may be swapped for
// a timing one that keeps its fields: none written, combined, or the
// official image's main where it is the host's. Any other format (JSON,
// a custom line) is the author's: never replaced.
func (fs nginxFormats) replaceable(name string, host stack.NginxHost) bool {
	switch {
	case name == "" || name == "combined":
		return true
	case name == "main" && fs[name] == nil && host == stack.HostOfficialImage:
		return true
	}
	return false
}

// logFormat is the format of an access_log: its second argument unless it
// is a parameter (buffer=, gzip, if=).
func logFormat(l *nginx.Directive) string {
	if len(l.Args) > 1 && !strings.Contains(l.Arg(1), "=") && l.Arg(1) != "gzip" {
		return l.Arg(1)
	}
	return ""
}

func checkNginxTiming(pass *rules.Pass) {
	f := pass.File.Nginx
	if len(f.Servers()) == 0 {
		return // no HTTP traffic configured here
	}
	peers := []*stack.File{pass.File}
	host := stack.HostUnknown
	if pass.Stack != nil {
		peers = pass.Stack.NginxPeers(pass.File)
		host, _ = pass.Stack.NginxHost(pass.File)
	}
	formats := nginxFormats{}
	for _, g := range peers {
		if g.Nginx == nil {
			continue
		}
		for _, d := range g.Nginx.All("log_format") {
			if len(d.Args) > 0 {
				formats[d.Arg(0)] = d
			}
		}
	}
	if h := f.HTTP(); h != nil {
		checkHTTPTiming(pass, f, h, formats)
		return
	}
	checkSnippetTiming(pass, f, peers, host, formats)
}

// checkHTTPTiming checks a whole nginx.conf: its http-level access_log.
func checkHTTPTiming(pass *rules.Pass, f *nginx.File, h *nginx.Directive, formats nginxFormats) {
	logs := h.Block.Find("access_log")
	for _, l := range logs {
		if formats.timed(logFormat(l)) || l.Arg(0) == "off" {
			return
		}
	}
	if len(logs) == 0 {
		// A server that logs with a timed format of its own is enough.
		for _, l := range f.All("access_log") {
			if formats.timed(logFormat(l)) {
				return
			}
		}
	}
	d := rules.Diagnostic{Span: h.NameSpan, Message: "nginx logs no request timings: add a log_format with $request_time and $upstream_response_time and use it in access_log"}
	for _, l := range logs {
		if name := logFormat(l); !formats.replaceable(name, stack.HostInView) {
			pass.Report(customFormat(d, name))
			return
		}
	}
	name := freeName(formats, "timing")
	lf := "log_format " + name + " " + quoted(combinedFields) + ";"
	var edits []edit.TextEdit
	if len(logs) == 0 {
		// nginx's compiled-in log (access.log, combined) goes: this one
		// replaces it, at the path the official image and Debian use.
		edits = append(edits, edit.NginxInsert(pass.Doc(), h.Block, []string{"include", "default_type", "log_format", "sendfile", "keepalive_timeout"}, lf, "access_log /var/log/nginx/access.log "+name+";"))
	} else {
		edits = append(edits, edit.NginxInsertBefore(pass.Doc(), logs[0], lf))
		edits = append(edits, useFormat(pass.Doc(), logs, name)...)
	}
	d.Fixes = []rules.Fix{{Message: "add log_format " + name + " and use it", Edits: edits}}
	pass.Report(d)
}

// checkSnippetTiming checks a conf.d or sites snippet, whose top level is
// the http level of an nginx.conf that (in the official image and Debian)
// already has an access_log: a second access_log there logs every request
// twice. Each server gets an access_log of its own instead, which replaces
// the inherited one.
func checkSnippetTiming(pass *rules.Pass, f *nginx.File, peers []*stack.File, host stack.NginxHost, formats nginxFormats) {
	top := f.Root.Find("access_log")
	for _, l := range top {
		if formats.timed(logFormat(l)) || l.Arg(0) == "off" {
			return
		}
	}
	// The format the host logs with, which a server's own log replaces.
	inherited := ""
	switch host {
	case stack.HostOfficialImage:
		inherited = "main"
	case stack.HostInView:
		if outer := f.Root.Outer(); outer != nil {
			if ls := outer.Effective("access_log"); len(ls) > 0 {
				inherited = logFormat(ls[len(ls)-1])
				if ls[len(ls)-1].Arg(0) == "off" {
					return
				}
			}
		}
	}
	var untimed []*nginx.Directive // servers that need a log of their own
	var switchLogs []*nginx.Directive
	for _, s := range f.Servers() {
		own := s.Block.Find("access_log")
		if len(own) == 0 {
			if len(top) == 0 && !formats.timed(inherited) {
				untimed = append(untimed, s)
			}
			continue
		}
		ok := false
		for _, l := range own {
			ok = ok || formats.timed(logFormat(l)) || l.Arg(0) == "off"
		}
		if !ok {
			switchLogs = append(switchLogs, own...)
		}
	}
	switchLogs = append(switchLogs, top...)
	if len(untimed) == 0 && len(switchLogs) == 0 {
		return
	}
	d := rules.Diagnostic{Span: f.Servers()[0].NameSpan, Message: "nginx logs no request timings: add a log_format with $request_time and $upstream_response_time and use it in access_log"}
	for _, l := range switchLogs {
		if name := logFormat(l); !formats.replaceable(name, host) {
			pass.Report(customFormat(d, name))
			return
		}
	}
	if len(untimed) > 0 && !formats.replaceable(inherited, host) {
		pass.Report(customFormat(d, inherited))
		return
	}
	fields := combinedFields
	if host == stack.HostOfficialImage && (inherited == "main" || hasFormat(switchLogs, "main")) {
		fields = mainFields
	}
	// One name per nginx: where several snippets of it need a format,
	// each declares its own (conf.d files are read in name order, and a
	// format must be declared before it is used).
	name := "timing"
	snippets := 0
	for _, g := range peers {
		if g.Nginx != nil && g.Nginx.HTTP() == nil && len(g.Nginx.Servers()) > 0 {
			snippets++
		}
	}
	if snippets > 1 {
		base := strings.TrimSuffix(path.Base(pass.Doc().Path), ".conf")
		name += "_" + strings.Trim(nonName.ReplaceAllString(strings.ToLower(base), "_"), "_")
	}
	name = freeName(formats, name)
	lf := "log_format " + name + " " + quoted(fields) + ";"
	edits := []edit.TextEdit{edit.NginxInsertBefore(pass.Doc(), f.Servers()[0], lf)}
	if len(top) > 0 {
		// The top-level log lines stay where they are, with the new format.
		edits = []edit.TextEdit{edit.NginxInsertBefore(pass.Doc(), top[0], lf)}
	}
	edits = append(edits, useFormat(pass.Doc(), switchLogs, name)...)
	for _, s := range untimed {
		edits = append(edits, serverSetting(pass.Doc(), s.Block, "access_log /var/log/nginx/access.log "+name+";"))
	}
	d.Fixes = []rules.Fix{{Message: "add log_format " + name + " and use it", Edits: edits}}
	pass.Report(d)
}

// serverSetting puts line among a server's settings: after the last
// directive ahead of its first location (or other block), or first.
func serverSetting(doc *parsers.Document, b *nginx.Block, line string) edit.TextEdit {
	var last *nginx.Directive
	for _, d := range b.Directives {
		if d.Block != nil {
			break
		}
		last = d
	}
	switch {
	case last != nil:
		return edit.NginxInsertAfter(doc, last, line)
	case len(b.Directives) > 0:
		return edit.NginxInsertBefore(doc, b.Directives[0], line)
	}
	return edit.NginxInsertEnd(doc, b, line)
}

var nonName = regexp.MustCompile(`[^a-z0-9_]+`)

func hasFormat(logs []*nginx.Directive, name string) bool {
	for _, l := range logs {
		if logFormat(l) == name {
			return true
		}
	}
	return false
}

// freeName is name, or name with a number, not declared by any file of
// the nginx.
func freeName(formats nginxFormats, name string) string {
	out := name
	for i := 2; formats[out] != nil; i++ {
		out = name + strconv.Itoa(i)
	}
	return out
}

// useFormat points each access_log at format name, keeping its path and
// parameters.
func useFormat(doc *parsers.Document, logs []*nginx.Directive, name string) []edit.TextEdit {
	var edits []edit.TextEdit
	for _, l := range logs {
		if logFormat(l) != "" {
			edits = append(edits, edit.NginxReplaceArg(doc, l, 1, name))
		} else {
			edits = append(edits, edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: l.Args[0].Span.End, End: l.Args[0].Span.End}, New: " " + name})
		}
	}
	return edits
}

// customFormat is the finding where the log already uses a format of its
// own (JSON, a custom line): the fields belong in that format, by hand.
func customFormat(d rules.Diagnostic, name string) rules.Diagnostic {
	d.Message = "nginx logs no request timings: access_log uses log_format " + name +
		", which headroom does not replace; add $request_time and $upstream_response_time (and $upstream_connect_time, $upstream_header_time) to it"
	return d
}
