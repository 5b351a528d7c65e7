package nginx

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// ProxyBuffering is HR403.
var ProxyBuffering = &rules.Rule{
	ID:       "HR403",
	Name:     "nginx-proxy-buffering",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindNginx},
	Fixable:  false,
	Doc: rules.Doc{
		Title: "nginx buffers responses of locations that do not stream",
		Why: "With proxy_buffering on (nginx's default) nginx reads the app's response as fast as the app " +
			"writes it and feeds slow clients itself, so a gunicorn worker is free again as soon as the " +
			"response is produced. `proxy_buffering off` makes the worker wait for the slowest client to " +
			"take every byte: a few mobile clients can tie up every worker. Turn buffering off only where " +
			"responses must reach the client as they are produced: Server-Sent Events, AI token streams, " +
			"long polling, downloads. A location is taken to stream when anything says so: its path " +
			"(/stream, /sse, /events, /download, /export), text/event-stream or X-Accel-Buffering inside it, " +
			"a comment in or just above it (stream, SSE, long poll, download), a WebSocket upgrade, or a view " +
			"of the app that returns StreamingHttpResponse or FileResponse whose Django app or name the " +
			"location's path names (the catch-all location / when there is any). Then HR403 is quiet. Where " +
			"nothing says so, headroom cannot tell: the finding asks, it does not assert that the location " +
			"does not stream. Better still, " +
			"leave buffering on and have streaming views send `X-Accel-Buffering: no`, which turns it off " +
			"per response. The report's `proxy_buffer_size 4k; proxy_buffers 8 4k; " +
			"proxy_busy_buffers_size 8k` are nginx's defaults on 4 KiB-page machines: writing them changes " +
			"nothing, so headroom never does.",
		Impact: "Part of the report's nginx change: \"20-30% faster response times\".",
		Fix: "None: whether a location streams is the author's knowledge. Remove `proxy_buffering off` " +
			"from locations that return ordinary responses, or move it into the streaming locations.",
		Bad: "location /api/ {\n    proxy_pass http://app;\n    proxy_buffering off;\n}",
		Good: "location /api/ {\n    proxy_pass http://app;\n}\nlocation /api/stream/ {\n    proxy_pass http://app;\n" +
			"    proxy_buffering off;\n}",
		Sources: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffers",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ignore_headers",
			"https://docs.djangoproject.com/en/stable/ref/request-response/#streaminghttpresponse-objects",
			"https://docs.djangoproject.com/en/stable/ref/request-response/#fileresponse-objects",
		},
		Since: "0.1.0",
	},
	Check: checkBuffering,
}

func init() { rules.Register(ProxyBuffering) }

const bufferingWhy = "each response then holds an app-server worker until the slowest client has read it all"

func checkBuffering(p *rules.Pass) {
	f := p.File.Nginx
	if f == nil {
		return
	}
	views := streamingViews(p.Stack)
	streams := func(loc *ngx.Directive) bool {
		return streamsOrUpgrades(loc) || commentSaysStreams(p.Doc(), loc) || views.serve(loc)
	}
	for _, d := range f.All("proxy_buffering") {
		if d.Arg(0) != "off" || d.Enclosing("stream") != nil {
			continue
		}
		if d.Outer() == nil {
			// The top level of a snippet: nginx reads it in the block of
			// each include that pulls it in, which another file shows.
			// Judged in the first including location that does not
			// stream; quiet when no include is in view.
			for _, inc := range f.IncludedBy {
				loc := inc.Outer()
				if loc == nil || loc.Name != "location" {
					loc = inc.Enclosing("location")
				}
				if loc != nil && !streams(loc) {
					p.Reportf(d.HeadSpan(), "proxy_buffering off in a file that location %s includes (%s), and nothing says it streams: if it returns ordinary responses, %s; "+
						"keep buffering on and turn it off only for streaming endpoints", loc.Arg(len(loc.Args)-1), parsers.ShowPath(inc.Doc().Path), bufferingWhy)
					break
				}
			}
			continue
		}
		if loc := d.Enclosing("location"); loc != nil {
			if !streams(loc) {
				p.Reportf(d.HeadSpan(), "proxy_buffering off on location %s, and nothing says it streams (no streaming path, header, comment or streaming view): if it returns ordinary responses, %s; "+
					"keep buffering on and turn it off only for streaming endpoints", loc.Arg(len(loc.Args)-1), bufferingWhy)
			}
			continue
		}
		// Set for a whole server or http block: flag it unless every
		// proxying location that inherits it streams.
		var plain []*ngx.Directive
		inheriting := 0
		for _, loc := range f.Locations() {
			if !within(loc, d.Parent) || !proxies(loc) {
				continue
			}
			if _, eff := loc.Block.EffectiveValue("proxy_buffering"); eff != d {
				continue
			}
			inheriting++
			if !streams(loc) {
				plain = append(plain, loc)
			}
		}
		if inheriting > 0 && len(plain) == 0 {
			continue
		}
		scope := "this " + d.Outer().Name + " block"
		if len(plain) > 0 {
			scope += fmt.Sprintf(" (nothing says location %s streams)", plain[0].Arg(len(plain[0].Args)-1))
		}
		p.Reportf(d.HeadSpan(), "proxy_buffering off for %s: %s; keep buffering on and turn it off only in streaming locations", scope, bufferingWhy)
	}
}

func streamsOrUpgrades(loc *ngx.Directive) bool {
	return ngx.Streams(loc) || ngx.IsWebSocket(loc.Block) || downloadPath.MatchString(loc.Arg(len(loc.Args)-1))
}

// downloadPath matches location paths that serve downloads or exports:
// large responses sent as they are produced.
var downloadPath = regexp.MustCompile(`(?i)(^|[^a-z])(downloads?|exports?)([^a-z]|$)`)

// streamWords are what a comment says of a streaming location.
var streamWords = regexp.MustCompile(`(?i)\b(stream\w*|sse|server-sent|event-stream|long[- ]?poll\w*|download\w*|export\w*|websockets?|chunked|token[- ]by[- ]token|unbuffered|no[- ]buffering)\b`)

// commentSaysStreams reports whether a comment line in the location's
// block, or one of the two lines just above it, says it streams.
func commentSaysStreams(doc *parsers.Document, loc *ngx.Directive) bool {
	if doc == nil || loc.Doc() != doc {
		return false
	}
	first := doc.Position(loc.Span.Start).Line
	last := doc.Position(loc.Span.End).Line
	for line := max(1, first-2); line <= last; line++ {
		text := strings.TrimSpace(doc.Text(doc.LineSpan(line)))
		if strings.HasPrefix(text, "#") && streamWords.MatchString(text) {
			return true
		}
	}
	return false
}

// streamingView is a view of the app that returns StreamingHttpResponse
// or FileResponse: its Django app (the package of its views module) and
// its name.
type streamingView struct{ app, name string }

type streamingViewSet []streamingView

var (
	streamingResponse = regexp.MustCompile(`\b(StreamingHttpResponse|FileResponse)\s*\(`)
	defOrClass        = regexp.MustCompile(`(?m)^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)`)
)

// streamingViews finds the views of the stack's app code that return
// StreamingHttpResponse or FileResponse.
func streamingViews(s *stack.Stack) streamingViewSet {
	var out streamingViewSet
	for _, f := range s.Files {
		// bytes.Contains first: most modules return no such response.
		if f.Doc.Kind != parsers.KindPythonApp || !bytes.Contains(f.Doc.Src, []byte("Response")) {
			continue
		}
		src := string(f.Doc.Src)
		for _, m := range streamingResponse.FindAllStringIndex(src, -1) {
			var v streamingView
			dir := path.Dir(f.Doc.Path)
			if path.Base(dir) == "views" {
				dir = path.Dir(dir)
			}
			v.app = strings.ToLower(path.Base(dir))
			if defs := defOrClass.FindAllStringSubmatch(src[:m[0]], -1); len(defs) > 0 {
				v.name = strings.ToLower(defs[len(defs)-1][1])
			}
			out = append(out, v)
		}
	}
	return out
}

// serve reports whether a location may serve one of the streaming views:
// the catch-all location, or one whose path names the view's Django app
// or the view (/chat/ for chat/views.py, /transcript for def transcript).
// urls.py is not read, so the match is by name.
func (vs streamingViewSet) serve(loc *ngx.Directive) bool {
	if len(vs) == 0 {
		return false
	}
	p := strings.ToLower(strings.Trim(loc.Arg(len(loc.Args)-1), "/"))
	if p == "" {
		return true
	}
	for _, seg := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '-' || r == '_' }) {
		for _, v := range vs {
			if seg == v.app || seg == v.name || strings.Contains(v.name, seg) && len(seg) > 3 {
				return true
			}
		}
	}
	return false
}

// proxies reports whether the location itself hands requests to proxy_pass.
func proxies(loc *ngx.Directive) bool {
	for _, d := range loc.Block.Directives {
		if d.Name == "proxy_pass" {
			return true
		}
	}
	return false
}

func within(d *ngx.Directive, b *ngx.Block) bool {
	for p := d.Parent; p != nil; p = p.Outer() {
		if p == b {
			return true
		}
	}
	return false
}
