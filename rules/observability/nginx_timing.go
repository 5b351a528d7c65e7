package observability

import (
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/rules"
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
		Fix: `Adds log_format timing: the combined format followed by rt=$request_time
uct=$upstream_connect_time uht=$upstream_header_time urt=$upstream_response_time, as
nginx's own guide writes it, and uses it in the http block's access_log (adding
access_log /var/log/nginx/access.log timing; where none is set, the path both the
official image and Debian use). Safe: the combined fields come first, so parsers of
the combined format still read the lines. An access_log that is off is left alone.`,
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
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#var_upstream_response_time",
			"https://blog.nginx.org/blog/using-nginx-logging-for-application-performance-monitoring",
		},
		Since: "0.2.0",
	},
	Check: checkNginxTiming,
}

func init() { rules.Register(NginxTiming) }

const timingFormat = `'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct=$upstream_connect_time uht=$upstream_header_time urt=$upstream_response_time'`

func checkNginxTiming(pass *rules.Pass) {
	f := pass.File.Nginx
	if len(f.Servers()) == 0 {
		return // no HTTP traffic configured here
	}
	timed := map[string]bool{}
	for _, d := range f.All("log_format") {
		text := strings.Join(d.Values(), " ")
		if strings.Contains(text, "$request_time") && strings.Contains(text, "$upstream_response_time") && len(d.Args) > 0 {
			timed[d.Arg(0)] = true
		}
	}
	var ctx *nginx.Block
	var at parsers.Span
	if h := f.HTTP(); h != nil {
		ctx, at = h.Block, h.NameSpan
	} else {
		ctx, at = f.Root, f.Servers()[0].NameSpan
	}
	logs := ctx.Find("access_log")
	for _, l := range logs {
		if len(l.Args) > 1 && timed[l.Arg(1)] {
			return
		}
		if l.Arg(0) == "off" {
			return
		}
	}
	if len(logs) == 0 {
		// A server that logs with a timed format of its own is enough.
		for _, l := range f.All("access_log") {
			if len(l.Args) > 1 && timed[l.Arg(1)] {
				return
			}
		}
	}
	d := rules.Diagnostic{Span: at, Message: "nginx logs no request timings: add a log_format with $request_time and $upstream_response_time and use it in access_log"}
	name := "timing"
	if len(f.All("log_format")) > 0 {
		for _, lf := range f.All("log_format") {
			if lf.Arg(0) == name {
				pass.Report(d) // a format of that name exists without the timings
				return
			}
		}
	}
	var edits []edit.TextEdit
	lf := "log_format " + name + " " + timingFormat + ";"
	switch {
	case len(logs) == 0 && ctx == f.Root:
		// A snippet: before its first server, so the file's end (and its
		// final newline, or lack of one) stays as written.
		edits = append(edits, edit.NginxInsertBefore(pass.Doc(), f.Servers()[0], lf, "access_log /var/log/nginx/access.log "+name+";"))
	case len(logs) == 0:
		edits = append(edits, edit.NginxInsert(pass.Doc(), ctx, []string{"include", "default_type", "log_format", "sendfile", "keepalive_timeout"}, lf, "access_log /var/log/nginx/access.log "+name+";"))
	default:
		edits = append(edits, edit.NginxInsertBefore(pass.Doc(), logs[0], lf))
		for _, l := range logs {
			if len(l.Args) > 1 && !strings.Contains(l.Arg(1), "=") {
				edits = append(edits, edit.NginxReplaceArg(pass.Doc(), l, 1, name))
			} else {
				edits = append(edits, edit.TextEdit{Path: pass.Doc().Path, Span: parsers.Span{Start: l.Args[0].Span.End, End: l.Args[0].Span.End}, New: " " + name})
			}
		}
	}
	d.Fixes = []rules.Fix{{Message: "add log_format " + name + " and use it", Edits: edits}}
	pass.Report(d)
}
