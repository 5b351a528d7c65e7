package nginx

import (
	"fmt"

	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/rules"
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
			"long polling (locations named like /stream, /sse, /events, or naming text/event-stream or " +
			"X-Accel-Buffering are taken to stream, and WebSocket locations are unaffected). Better still, " +
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
	for _, d := range f.All("proxy_buffering") {
		if d.Arg(0) != "off" || d.Enclosing("stream") != nil {
			continue
		}
		if loc := d.Enclosing("location"); loc != nil {
			if !streamsOrUpgrades(loc) {
				p.Reportf(d.HeadSpan(), "proxy_buffering off on location %s, which does not stream: %s; "+
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
			if !streamsOrUpgrades(loc) {
				plain = append(plain, loc)
			}
		}
		if inheriting > 0 && len(plain) == 0 {
			continue
		}
		scope := "this " + d.Outer().Name + " block"
		if len(plain) > 0 {
			scope += fmt.Sprintf(" (location %s does not stream)", plain[0].Arg(len(plain[0].Args)-1))
		}
		p.Reportf(d.HeadSpan(), "proxy_buffering off for %s: %s; keep buffering on and turn it off only in streaming locations", scope, bufferingWhy)
	}
}

func streamsOrUpgrades(loc *ngx.Directive) bool {
	return ngx.Streams(loc) || ngx.IsWebSocket(loc.Block)
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
