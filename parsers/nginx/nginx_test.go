package nginx

import (
	"errors"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func parse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse(parsers.NewDocument("nginx/nginx.conf", parsers.KindNginx, []byte(src)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

// spans lists every directive's span text in document order.
func spans(f *File) []string {
	var out []string
	f.Walk(func(d *Directive) bool {
		out = append(out, f.Doc.Text(d.Span))
		return true
	})
	return out
}

const wholeConf = `user  nginx;
worker_processes  auto;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    log_format  main  '$remote_addr - "$request" '
                      '$status';   # trailing comment
    # proxy_buffering off;
    upstream wingman_backend {
        server web:8000 max_fails=3 backup;
    }
    server {
        listen 80;
        location / {
            proxy_pass http://wingman_backend;
            proxy_set_header Host $host;
        }
        location /ws/ {
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}
`

func TestSpansWholeFile(t *testing.T) {
	f := parse(t, wholeConf)
	want := []string{
		"user  nginx;",
		"worker_processes  auto;",
		"events {\n    worker_connections  1024;\n}",
		"worker_connections  1024;",
		wholeConf[strings.Index(wholeConf, "http {") : len(wholeConf)-1],
		"include       /etc/nginx/mime.types;",
		"log_format  main  '$remote_addr - \"$request\" '\n                      '$status';",
		"upstream wingman_backend {\n        server web:8000 max_fails=3 backup;\n    }",
		"server web:8000 max_fails=3 backup;",
	}
	got := spans(f)
	for i, w := range want {
		if got[i] != w {
			t.Errorf("directive %d: span %q, want %q", i, got[i], w)
		}
	}
	if len(got) != 17 {
		t.Errorf("got %d directives, want 17: %q", len(got), got)
	}

	lf := f.All("log_format")[0]
	if lf.Arg(1) != `$remote_addr - "$request" ` || lf.Args[1].Quote != '\'' {
		t.Errorf("log_format arg: %q quote %q", lf.Arg(1), lf.Args[1].Quote)
	}
	if got := f.Doc.Text(lf.Args[2].Span); got != "'$status'" {
		t.Errorf("arg span %q", got)
	}
	conn := f.All("proxy_set_header")[2]
	if conn.Arg(1) != "upgrade" || f.Doc.Text(conn.Args[1].Span) != `"upgrade"` {
		t.Errorf("quoted arg: %q / %q", conn.Arg(1), f.Doc.Text(conn.Args[1].Span))
	}

	http := f.HTTP()
	if http == nil || f.IsSnippet() {
		t.Fatal("no http block")
	}
	if f.Doc.Src[http.Block.Open] != '{' || f.Doc.Src[http.Block.Close] != '}' {
		t.Errorf("http block offsets %d %d", http.Block.Open, http.Block.Close)
	}
	if n := len(f.Servers()); n != 1 {
		t.Errorf("servers: %d", n)
	}
	up := f.Upstream("WINGMAN_backend")
	if up == nil || strings.Join(UpstreamServers(up), ",") != "web:8000" {
		t.Fatalf("upstream: %v", up)
	}
	locs := f.Locations()
	if len(locs) != 2 || locs[1].Arg(0) != "/ws/" {
		t.Fatalf("locations: %v", locs)
	}
	if locs[0].Enclosing("server") == nil || locs[0].Enclosing("http") != http {
		t.Error("Enclosing")
	}
	if IsWebSocket(locs[0].Block) || !IsWebSocket(locs[1].Block) {
		t.Error("IsWebSocket")
	}
	passes := f.Passes()
	if len(passes) != 1 || passes[0].Upstream != up || passes[0].Location() != locs[0] {
		t.Errorf("passes: %+v", passes)
	}
}

func TestTabsCRLFAndBOM(t *testing.T) {
	src := "\xef\xbb\xbfhttp {\r\n\tgzip on;\r\n\tserver {\r\n\t\tlisten 80;\r\n\t}\r\n}\r\n"
	f := parse(t, src)
	got := spans(f)
	want := []string{
		"http {\r\n\tgzip on;\r\n\tserver {\r\n\t\tlisten 80;\r\n\t}\r\n}",
		"gzip on;",
		"server {\r\n\t\tlisten 80;\r\n\t}",
		"listen 80;",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans %q, want %q", got, want)
	}
	if f.Root.Directives[0].NameSpan.Start != 3 {
		t.Errorf("BOM not skipped: %d", f.Root.Directives[0].NameSpan.Start)
	}
}

func TestSnippet(t *testing.T) {
	f := parse(t, `upstream app { server 127.0.0.1:8000; }
server {
    listen 80;
    include snippets/proxy.conf;
    location /api/ { proxy_pass http://app/v1/; }
    location /legacy { uwsgi_pass unix:/run/uwsgi.sock; }
    location /direct { proxy_pass http://web:8000; }
}
`)
	if !f.IsSnippet() || len(f.Servers()) != 1 || len(f.Upstreams()) != 1 {
		t.Fatal("snippet shape")
	}
	if inc := f.Includes(); len(inc) != 1 || inc[0].Arg(0) != "snippets/proxy.conf" {
		t.Errorf("includes %v", inc)
	}
	loc := f.Locations()[0]
	if !loc.Block.HasInclude() {
		t.Error("HasInclude")
	}
	ps := f.Passes()
	if len(ps) != 3 {
		t.Fatalf("passes %d", len(ps))
	}
	if p := ps[0]; p.Scheme != "http" || p.Host != "app" || p.Path != "/v1/" || p.Upstream == nil {
		t.Errorf("pass 0 %+v", p)
	}
	if p := ps[1]; p.Host != "unix:/run/uwsgi.sock" || p.Scheme != "" || p.Directive.Name != "uwsgi_pass" {
		t.Errorf("pass 1 %+v", p)
	}
	if p := ps[2]; p.Host != "web" || p.Port != "8000" || p.Upstream != nil || p.Address() != "web:8000" {
		t.Errorf("pass 2 %+v", p)
	}
}

func TestCommentsAndQuotes(t *testing.T) {
	f := parse(t, `# a comment with { and ; and "
http { # after brace }
    add_header X-A "a;b{c}#d";   # comment ; }
    set $v '\'';
    rewrite ^/(.*)$ /x/${1}y break;
    location ~* "\.(js|css)$" { expires 1d; }
}
`)
	got := spans(f)
	want := []string{
		`add_header X-A "a;b{c}#d";`,
		`set $v '\'';`,
		`rewrite ^/(.*)$ /x/${1}y break;`,
		`location ~* "\.(js|css)$" { expires 1d; }`,
		`expires 1d;`,
	}
	if strings.Join(got[1:], "|") != strings.Join(want, "|") {
		t.Errorf("spans %q\nwant %q", got[1:], want)
	}
	if v := f.All("set")[0].Arg(1); v != "'" {
		t.Errorf("escaped quote value %q", v)
	}
	if v := f.All("rewrite")[0].Arg(1); v != "/x/${1}y" {
		t.Errorf("var ref %q", v)
	}
}

func TestEffective(t *testing.T) {
	f := parse(t, `http {
    proxy_buffering off;
    proxy_set_header Host $host;
    server {
        proxy_http_version 1.1;
        location / { proxy_pass http://a:1; }
        location /b { proxy_set_header X-Y 1; proxy_buffering on; }
    }
}
`)
	a, b := f.Locations()[0].Block, f.Locations()[1].Block
	if v, d := a.EffectiveValue("proxy_buffering"); v != "off" || d == nil {
		t.Errorf("inherited proxy_buffering %q", v)
	}
	if v, _ := b.EffectiveValue("proxy_buffering"); v != "on" {
		t.Errorf("own proxy_buffering %q", v)
	}
	if v, _ := a.EffectiveValue("proxy_http_version"); v != "1.1" {
		t.Errorf("proxy_http_version %q", v)
	}
	if hs := b.Effective("proxy_set_header"); len(hs) != 1 || hs[0].Arg(0) != "X-Y" {
		t.Errorf("array directives are not merged with the outer level: %v", hs)
	}
	if hs := a.Effective("proxy_set_header"); len(hs) != 1 || hs[0].Arg(0) != "Host" {
		t.Errorf("inherited headers %v", hs)
	}
	if v, d := a.EffectiveValue("gzip"); v != "" || d != nil {
		t.Error("unset directive")
	}
}

func TestStreams(t *testing.T) {
	f := parse(t, `server {
    location /api/ { proxy_pass http://a; }
    location /api/stream/ { proxy_pass http://a; }
    location = /sse { proxy_pass http://a; }
    location /events { proxy_pass http://a; }
    location /chat { proxy_pass http://a; add_header X-Accel-Buffering no; }
    location /feed { default_type text/event-stream; }
    location /upstream-status { proxy_pass http://a; }
    location /assets { proxy_pass http://a; }
}
`)
	want := []bool{false, true, true, true, true, true, false, false}
	for i, loc := range f.Locations() {
		if got := Streams(loc); got != want[i] {
			t.Errorf("Streams(%s) = %v", loc, got)
		}
	}
}

func TestLuaBlock(t *testing.T) {
	f := parse(t, `server {
    content_by_lua_block {
        local t = { a = { b = 1 } }  # {
        ngx.say("hi")
    }
    listen 80;
}
`)
	got := spans(f)
	if len(got) != 3 || got[2] != "listen 80;" || !strings.HasSuffix(got[1], "ngx.say(\"hi\")\n    }") {
		t.Errorf("spans %q", got)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unclosed block", "http {\n    server {\n        listen 80;\n    }\n", `nginx.conf:1:6: "http" block is never closed`},
		{"stray brace", "events {}\n}\nhttp {}\n", `nginx.conf:2:1: unexpected "}"`},
		{"unterminated quote", "http {\n    add_header X \"abc;\n}\n", `nginx.conf:2:18: unterminated quoted string`},
		{"missing semicolon", "http {\n    gzip on\n}\n", `nginx.conf:3:1: unexpected "}": directive "gzip"`},
		{"eof in directive", "worker_processes 4", `nginx.conf:1:1: directive "worker_processes" is not terminated`},
		{"stray semicolon", "http { ; }", `nginx.conf:1:8: unexpected ";"`},
		{"binary", "http {\x00}", `nginx.conf:1:7: binary content`},
		{"bad location", "server {\n  location a b c { }\n}\n", `nginx.conf:2:3: too many arguments for location`},
		{"nameless upstream", "http {\n  upstream { server a; }\n}\n", `nginx.conf:2:3: upstream directive requires a name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(parsers.NewDocument("nginx/nginx.conf", parsers.KindNginx, []byte(c.src)))
			var perr *parsers.Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %v (%T), want *parsers.Error", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(wholeConf)
	f.Add("server { location / { proxy_pass http://a:1; } }")
	f.Add(`a "b\"" 'c' ${d}e {} f;`)
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse(parsers.NewDocument("x.conf", parsers.KindNginx, []byte(src)))
		if err != nil {
			return
		}
		file.Walk(func(d *Directive) bool {
			if d.Span.Start < 0 || d.Span.End > len(src) || d.Span.Start > d.Span.End {
				t.Fatalf("bad span %v", d.Span)
			}
			if !strings.HasPrefix(src[d.Span.Start:], d.Name) {
				t.Fatalf("span of %q starts with %q", d.Name, src[d.Span.Start:d.Span.End])
			}
			return true
		})
	})
}

// An envsubst template's line that is only a placeholder stands for
// directives decided at start-up: it is read as a comment, the rest of the
// file is read, and offsets do not move.
func TestPlaceholderLine(t *testing.T) {
	src := "events {\n    ${NGINX_EVENTS_BLOCK}\n}\nhttp {\n    gzip ${NGINX_GZIP};\n}\n"
	f, err := Parse(parsers.NewDocument("nginx/nginx.conf.template", parsers.KindNginx, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	if ev := f.Root.Directives[0]; ev.Name != "events" || len(ev.Block.Directives) != 0 {
		t.Errorf("events block: %+v", ev.Block.Directives)
	}
	g := f.Root.Directives[1].Block.Directives[0]
	if g.Name != "gzip" || g.Arg(0) != "${NGINX_GZIP}" || string(f.Doc.Src[g.Span.Start:g.Span.End]) != "gzip ${NGINX_GZIP};" {
		t.Errorf("gzip directive: %q at %v", g.Arg(0), g.Span)
	}
}
