package nginx

import (
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
)

// upgradeForced describes a block that passes WebSocket headers on every
// request although it serves ordinary HTTP: a catch-all `location /` that
// sets `Connection "upgrade"` "for WebSocket support". Such a block is no
// WebSocket location for HR401: ordinary requests go through it, and its
// upstream needs keepalive like any other.
type upgradeForced struct {
	Pass *ngx.Pass
	// Header is the proxy_set_header Connection directive in effect.
	Header *ngx.Directive
	// Close is the entry of the map Header's variable comes from that sends
	// `Connection: close` on a request without an Upgrade header
	// (`'' close;`, as nginx's WebSocket page writes it), or nil: with a
	// fixed "upgrade" (or a map sending "upgrade" or nothing), nginx still
	// reuses an upstream connection the backend keeps open.
	Close *ngx.Directive
}

// forcedUpgrade returns how ps's block forces WebSocket headers on
// ordinary HTTP (see servesHTTP and serverWide), or nil: for a block that
// is no WebSocket location at all, for a WebSocket location proper, and
// for a Connection variable whose map is not in view.
func forcedUpgrade(ps *ngx.Pass) *upgradeForced {
	b := ps.Directive.Parent
	if !ngx.IsWebSocket(b) {
		return nil
	}
	level, headers := b.EffectiveLevel("proxy_set_header")
	c := headerNamed(headers, "Connection")
	if c == nil || len(c.Args) < 2 {
		return nil
	}
	if !servesHTTP(ps.Directive) && !serverWide(level, ps.Directive) {
		return nil
	}
	v := c.Arg(1)
	if !strings.HasPrefix(v, "$") {
		if strings.Contains(strings.ToLower(v), "upgrade") {
			return &upgradeForced{Pass: ps, Header: c}
		}
		return nil
	}
	m := upgradeMap(v, b)
	if m == nil {
		return nil // what the variable holds is not in view
	}
	for _, e := range m.Block.Directives {
		if e.Name == "''" || e.Name == `""` {
			if strings.EqualFold(e.Arg(0), "close") {
				return &upgradeForced{Pass: ps, Header: c, Close: e}
			}
			return &upgradeForced{Pass: ps, Header: c}
		}
	}
	return &upgradeForced{Pass: ps, Header: c} // no '' entry: the default ("upgrade") applies
}

// upgradeMap returns the `map $http_upgrade <variable> { ... }` block in
// effect at b: in b's http context (the http block of the nginx.conf that
// includes a conf.d snippet counts), files included there read in place;
// nil when none is in view.
func upgradeMap(variable string, b *ngx.Block) *ngx.Directive {
	for depth := 0; b != nil && depth < 64; b, depth = b.Outer(), depth+1 {
		for _, m := range b.FindIncluded("map") {
			if m.Block != nil && strings.EqualFold(m.Arg(0), "$http_upgrade") && m.Arg(1) == variable {
				return m
			}
		}
	}
	return nil
}

// servesHTTP reports whether the requests reaching pass d include
// ordinary HTTP: d sits at server level, or in a catch-all location
// (`location /`, `location ~ ^/`, `location = /`), or in a named location
// a catch-all hands requests to (`try_files $uri @app;`, `error_page 404
// = @app;`).
func servesHTTP(d *ngx.Directive) bool {
	loc := d.Enclosing("location")
	if loc == nil {
		return d.Enclosing("server") != nil
	}
	if catchAll(loc) {
		return true
	}
	name := loc.Arg(0)
	if !strings.HasPrefix(name, "@") || loc.Parent == nil {
		return false
	}
	for _, other := range loc.Parent.Find("location") {
		if other.Block == nil || !catchAll(other) {
			continue
		}
		for _, x := range other.Block.Directives {
			if (x.Name == "try_files" || x.Name == "error_page") && len(x.Args) > 0 && x.Args[len(x.Args)-1].Value == name {
				return true
			}
		}
	}
	return false
}

// webSocketPath matches location paths that by convention serve WebSocket
// handshakes: /ws/, /wss, /websocket, /socket.io/, /sockjs, /cable.
var webSocketPath = regexp.MustCompile(`(?i)(^|[^a-z])(ws|wss|websockets?|sockets?|socket\.io|sockjs|cable)([^a-z]|$)`)

// serverWide reports whether the header list in effect at pass d is set
// for a whole server (or http block) rather than in d's location, and d's
// location is not named like a WebSocket endpoint: `/api/` inheriting
// the server's Upgrade and Connection headers serves ordinary HTTP.
func serverWide(level *ngx.Block, d *ngx.Directive) bool {
	if level == nil || level.Owner == nil || (level.Owner.Name != "server" && level.Owner.Name != "http") {
		return false
	}
	loc := d.Enclosing("location")
	return loc == nil || !webSocketPath.MatchString(strings.Join(loc.Values(), " "))
}

// catchAllRegex are the regular expressions that match every URI.
var catchAllRegex = map[string]bool{"/": true, "^/": true, "^/.*": true, ".*": true, "^/.*$": true, "^/(.*)$": true, "^/(.*)": true, "(.*)": true}

// catchAll reports whether a location matches every URI (or the site's
// root page, `= /`).
func catchAll(loc *ngx.Directive) bool {
	switch len(loc.Args) {
	case 1:
		return loc.Arg(0) == "/"
	case 2:
		switch loc.Arg(0) {
		case "^~", "=":
			return loc.Arg(1) == "/"
		case "~", "~*":
			return catchAllRegex[loc.Arg(1)]
		}
	}
	return false
}

// webSocketOnly reports whether HR401 leaves ps alone as a WebSocket
// location: it passes WebSocket headers and serves WebSocket handshakes
// only (an upgraded connection is never reused).
func webSocketOnly(ps *ngx.Pass) bool {
	return ngx.IsWebSocket(ps.Directive.Parent) && forcedUpgrade(ps) == nil
}

// upgradeEdits plans what a block forcing WebSocket headers on ordinary
// HTTP needs for keep-alive: nothing for its Connection header when it is
// a fixed "upgrade" (nginx still reuses the connection: clearing it would
// break the WebSocket handshakes the header is there for), and, where the
// map sends `close` without an Upgrade header, that entry's value made
// empty, so ordinary requests go out with no Connection header, as
// nginx's keepalive needs, and WebSocket handshakes still get "upgrade".
// It returns the note the finding carries.
func upgradeEdits(es *editSet, f *upgradeForced) string {
	where, sets := "this server", " sets"
	if loc := f.Pass.Location(); loc != nil {
		where = "location " + strings.Join(loc.Values(), " ")
		if f.Header.Enclosing("location") != loc {
			sets = " inherits from its server"
		}
	}
	if f.Close == nil {
		return where + sets + " Connection " + f.Header.Args[1].Raw + " on every request \"for WebSocket support\", so it is no " +
			"WebSocket location: ordinary HTTP goes through it (the header is left as it is: with keepalive nginx reuses the " +
			"connection all the same, and handshakes need it; `map $http_upgrade $connection_upgrade { default upgrade; '' ''; }` " +
			"would send it with handshakes only)"
	}
	a := f.Close.Args[0]
	q := "\""
	if strings.HasPrefix(f.Close.Name, "'") {
		q = "'"
	}
	es.add(edit.TextEdit{Path: es.docOf(f.Close).Path, Span: parsers.Span{Start: a.Span.Start, End: a.Span.End}, New: q + q})
	return where + sets + " Connection " + f.Header.Arg(1) + ", which the map makes `close` for every request without an " +
		"Upgrade header (`'' close;`, as nginx's WebSocket page writes it), so no ordinary request's connection is reused; " +
		"the fix maps '' to an empty value instead (no Connection header: what keepalive needs; WebSocket handshakes " +
		"still get upgrade)"
}
