package nginx

import (
	"regexp"
	"strconv"
	"strings"
)

// Find returns the block's own directives named name, in order.
func (b *Block) Find(name string) []*Directive {
	var out []*Directive
	for _, d := range b.Directives {
		if d.Name == name {
			out = append(out, d)
		}
	}
	return out
}

// First returns the block's first own directive named name, or nil.
func (b *Block) First(name string) *Directive {
	for _, d := range b.Directives {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// Last returns the block's last own directive with any of the names, or nil.
func (b *Block) Last(names ...string) *Directive {
	for i := len(b.Directives) - 1; i >= 0; i-- {
		for _, name := range names {
			if b.Directives[i].Name == name {
				return b.Directives[i]
			}
		}
	}
	return nil
}

// Outer is the block enclosing this one: for a file's top level, the
// block of the first include in the stack that pulls the file in, else
// nil.
func (b *Block) Outer() *Block {
	if b.Owner == nil {
		if b.File != nil && len(b.File.IncludedBy) > 0 {
			return b.File.IncludedBy[0].Parent
		}
		return nil
	}
	return b.Owner.Parent
}

// maxIncludeDepth bounds include chains (and cycles, which nginx rejects).
const maxIncludeDepth = 16

// maxIncludeVisits bounds the files one FindIncluded reads through
// includes: globs that include each other's folders can make the number of
// include chains grow exponentially with the files.
const maxIncludeVisits = 4096

// FindIncluded returns the directives named name at b's level as nginx
// reads it: b's own, with each include replaced by what the files it names
// hold at their top level, in order. A file already on the chain of
// includes is not read again.
func (b *Block) FindIncluded(name string) []*Directive {
	budget := maxIncludeVisits
	return b.findIncluded(name, map[*File]bool{b.File: true}, &budget)
}

func (b *Block) findIncluded(name string, chain map[*File]bool, budget *int) []*Directive {
	var out []*Directive
	for _, d := range b.Directives {
		if d.Name == name {
			out = append(out, d)
		}
		if d.Name == "include" && len(chain) <= maxIncludeDepth {
			for _, f := range d.Included {
				if chain[f] || *budget <= 0 {
					continue
				}
				*budget--
				chain[f] = true
				out = append(out, f.Root.findIncluded(name, chain, budget)...)
				delete(chain, f)
			}
		}
	}
	return out
}

// Effective returns the directives named name that apply inside b: b's own
// (included files' counted in place) if it has any, else those of the
// nearest enclosing block that has any, up through the file that includes
// a snippet. That is nginx's inheritance for single-valued directives
// (proxy_buffering, proxy_http_version) and for arrays such as
// proxy_set_header, which a block inherits only when it sets none of its
// own. An include whose file is not in view may hold more; see HasInclude.
func (b *Block) Effective(name string) []*Directive {
	for depth := 0; b != nil && depth < 64; b, depth = b.Outer(), depth+1 {
		if ds := b.FindIncluded(name); len(ds) > 0 {
			return ds
		}
	}
	return nil
}

// EffectiveLevel is Effective that also returns the block whose level
// holds the directives (they may sit in a file included there).
func (b *Block) EffectiveLevel(name string) (*Block, []*Directive) {
	for depth := 0; b != nil && depth < 64; b, depth = b.Outer(), depth+1 {
		if ds := b.FindIncluded(name); len(ds) > 0 {
			return b, ds
		}
	}
	return nil, nil
}

// EffectiveValue returns the first argument of the last effective directive
// named name (the one nginx uses), and the directive; "" and nil when unset.
func (b *Block) EffectiveValue(name string) (string, *Directive) {
	ds := b.Effective(name)
	if len(ds) == 0 {
		return "", nil
	}
	d := ds[len(ds)-1]
	return d.Arg(0), d
}

// HasInclude reports whether b or a block enclosing it has an include
// whose contents headroom does not see (no file of the stack matches it).
func (b *Block) HasInclude() bool {
	for depth := 0; b != nil && depth < 64; b, depth = b.Outer(), depth+1 {
		for _, d := range b.Find("include") {
			if len(d.Included) == 0 {
				return true
			}
		}
	}
	return false
}

// Walk visits every directive in document order. Returning false from fn
// skips the directive's block.
func (f *File) Walk(fn func(*Directive) bool) {
	var walk func(b *Block)
	walk = func(b *Block) {
		for _, d := range b.Directives {
			if fn(d) && d.Block != nil {
				walk(d.Block)
			}
		}
	}
	walk(f.Root)
}

// All returns every directive named name, at any depth, in document order.
func (f *File) All(name string) []*Directive {
	var out []*Directive
	f.Walk(func(d *Directive) bool {
		if d.Name == name {
			out = append(out, d)
		}
		return true
	})
	return out
}

// HTTP returns the http block, or nil for a conf.d snippet.
func (f *File) HTTP() *Directive {
	for _, d := range f.Root.Directives {
		if d.Name == "http" && d.Block != nil {
			return d
		}
	}
	return nil
}

// IsSnippet reports whether the file is a fragment included into http
// (conf.d/*.conf, sites-enabled): server or upstream blocks at the top
// level and no http block.
func (f *File) IsSnippet() bool {
	return f.HTTP() == nil
}

// httpContext is the block holding http-level directives: the http block,
// or the top level of a snippet.
func (f *File) httpContext() *Block {
	if h := f.HTTP(); h != nil {
		return h.Block
	}
	return f.Root
}

// Servers returns the HTTP server blocks: those in http, or at the top
// level of a snippet (never stream servers or upstream server entries).
func (f *File) Servers() []*Directive {
	return blocksNamed(f.httpContext(), "server")
}

// Upstreams returns the HTTP upstream blocks in document order.
func (f *File) Upstreams() []*Directive {
	return blocksNamed(f.httpContext(), "upstream")
}

// Upstream returns the HTTP upstream block called name (nginx compares
// upstream names without case), or nil.
func (f *File) Upstream(name string) *Directive {
	for _, u := range f.Upstreams() {
		if strings.EqualFold(u.Arg(0), name) {
			return u
		}
	}
	return nil
}

// Locations returns every location block, nested ones included, in
// document order.
func (f *File) Locations() []*Directive {
	var out []*Directive
	f.Walk(func(d *Directive) bool {
		if d.Name == "location" && d.Block != nil {
			out = append(out, d)
		}
		return d.Name != "stream"
	})
	return out
}

// Includes returns every include directive; headroom records them but does
// not follow them.
func (f *File) Includes() []*Directive { return f.All("include") }

func blocksNamed(b *Block, name string) []*Directive {
	var out []*Directive
	for _, d := range b.Directives {
		if d.Name == name && d.Block != nil {
			out = append(out, d)
		}
	}
	return out
}

// UpstreamServers returns the addresses of an upstream block's server
// entries ("web:8000", "unix:/run/app.sock"), those of files it includes
// counted in place.
func UpstreamServers(up *Directive) []string {
	if up.Block == nil {
		return nil
	}
	var out []string
	for _, s := range up.Block.FindIncluded("server") {
		if s.Block == nil && len(s.Args) > 0 {
			out = append(out, s.Arg(0))
		}
	}
	return out
}

// SplitHostPort splits "host:port", "[v6]:port" or "host" (port ""); a
// unix socket address ("unix:/path") is all host.
func SplitHostPort(addr string) (host, port string) {
	if strings.HasPrefix(addr, "unix:") {
		return addr, ""
	}
	if strings.HasPrefix(addr, "[") {
		if i := strings.Index(addr, "]"); i > 0 {
			host, rest := addr[:i+1], addr[i+1:]
			return host, strings.TrimPrefix(rest, ":")
		}
	}
	if i := strings.LastIndexByte(addr, ':'); i >= 0 && strings.Count(addr, ":") == 1 {
		return addr[:i], addr[i+1:]
	}
	return addr, ""
}

// Pass is where a location hands requests on: a proxy_pass, uwsgi_pass,
// grpc_pass or fastcgi_pass and its target.
type Pass struct {
	Directive *Directive
	Scheme    string // "http", "https", "uwsgi", ...; "" when not written
	Host      string // a host name, an address, an upstream name, or "unix:/path"
	Port      string // "" when not written
	Path      string // the URI after host[:port] ("/api/"), proxy_pass only
	// Upstream is the upstream block Host names, when this file has it.
	Upstream *Directive
	// Variable says the target holds a variable, so it is only known at
	// run time.
	Variable bool
}

// Location is the location block the pass is in (nil at server level).
func (p *Pass) Location() *Directive { return p.Directive.Enclosing("location") }

// Address is host[:port] as written.
func (p *Pass) Address() string {
	if p.Port == "" {
		return p.Host
	}
	return p.Host + ":" + p.Port
}

// PassDirectives are the directives that send requests to a backend.
var PassDirectives = []string{"proxy_pass", "uwsgi_pass", "grpc_pass", "fastcgi_pass", "scgi_pass"}

// ParsePass reads a pass directive's target, or returns nil for a directive
// that is not one or has no target.
func ParsePass(d *Directive) *Pass {
	isPass := false
	for _, n := range PassDirectives {
		isPass = isPass || d.Name == n
	}
	if !isPass || len(d.Args) == 0 {
		return nil
	}
	p := &Pass{Directive: d}
	target := d.Arg(0)
	p.Variable = strings.Contains(target, "$")
	if i := strings.Index(target, "://"); i >= 0 {
		p.Scheme = strings.ToLower(target[:i])
		target = target[i+3:]
	}
	if strings.HasPrefix(target, "unix:") {
		// unix:/path/to.sock[:/uri]
		rest := target[len("unix:"):]
		if i := strings.Index(rest, ":"); i >= 0 {
			p.Host, p.Path = "unix:"+rest[:i], rest[i+1:]
		} else {
			p.Host = target
		}
		return p
	}
	hostport := target
	if i := strings.IndexByte(target, '/'); i >= 0 {
		hostport, p.Path = target[:i], target[i:]
	}
	p.Host, p.Port = SplitHostPort(hostport)
	return p
}

// Passes returns every pass directive in the HTTP part of the file, with
// the upstream each names resolved.
func (f *File) Passes() []*Pass {
	var out []*Pass
	f.Walk(func(d *Directive) bool {
		if d.Name == "stream" {
			return false
		}
		if p := ParsePass(d); p != nil {
			if !p.Variable && p.Port == "" && !strings.HasPrefix(p.Host, "unix:") {
				p.Upstream = f.Upstream(p.Host)
			}
			out = append(out, p)
		}
		return true
	})
	return out
}

// IsWebSocket reports whether requests in b are proxied as WebSocket
// upgrades: the effective proxy_set_header list passes Upgrade, or a
// Connection header naming upgrade ("upgrade", $connection_upgrade).
func IsWebSocket(b *Block) bool {
	for _, d := range b.Effective("proxy_set_header") {
		name, val := strings.ToLower(d.Arg(0)), strings.ToLower(d.Arg(1))
		if name == "upgrade" || (name == "connection" && strings.Contains(val, "upgrade")) {
			return true
		}
	}
	return false
}

// streamPath matches location paths that by convention serve event
// streams: /stream, /streaming, /sse, /events, /event-stream, /eventsource.
var streamPath = regexp.MustCompile(`(?i)(^|[^a-z])(streams?|streaming|sse|events?|event-stream|eventsource)([^a-z]|$)`)

// Streams reports whether a location serves streamed responses (Server-Sent
// Events, token streams) that must reach the client as they are produced:
// its path says so, or something inside it names text/event-stream or the
// X-Accel-Buffering header.
func Streams(loc *Directive) bool {
	for _, a := range loc.Args {
		if streamPath.MatchString(a.Value) {
			return true
		}
	}
	if loc.Block == nil {
		return false
	}
	found := false
	var walk func(b *Block)
	walk = func(b *Block) {
		for _, d := range b.Directives {
			for _, a := range d.Args {
				v := strings.ToLower(a.Value)
				if strings.Contains(v, "text/event-stream") || strings.Contains(v, "x-accel-buffering") {
					found = true
				}
			}
			if d.Block != nil && d.Name != "location" {
				walk(d.Block)
			}
		}
	}
	walk(loc.Block)
	return found
}

// Seconds reads an nginx time ("60", "60s", "1m", "1m30s", "500ms") in
// whole seconds, rounding milliseconds down.
func Seconds(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	units := map[string]float64{"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
	total := 0.0
	for v != "" {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, _ := strconv.Atoi(v[:i])
		v = v[i:]
		j := 0
		for j < len(v) && (v[j] < '0' || v[j] > '9') {
			j++
		}
		unit := v[:j]
		v = v[j:]
		if unit == "" {
			unit = "s"
		}
		f, ok := units[unit]
		if !ok {
			return 0, false
		}
		total += float64(n) * f
	}
	return int(total), true
}
