package edit

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/nginx"
)

func ngxParse(t *testing.T, src string) *nginx.File {
	t.Helper()
	f, err := nginx.Parse(parsers.NewDocument("nginx.conf", parsers.KindNginx, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// ngxApply applies one edit, checks the result still parses, and compares.
func ngxApply(t *testing.T, f *nginx.File, e TextEdit, want string) {
	t.Helper()
	out, err := Apply(f.Doc.Src, []TextEdit{e})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if _, err := nginx.Parse(parsers.NewDocument("nginx.conf", parsers.KindNginx, out)); err != nil {
		t.Errorf("result does not parse: %v", err)
	}
}

func TestNginxInsertAfterSibling(t *testing.T) {
	src := "http {\n    gzip on;  # compress\n    server {\n        listen 80;\n    }\n}\n"
	f := ngxParse(t, src)
	e := NginxInsert(f.Doc, f.HTTP().Block, []string{"gzip"}, "gzip_types text/css;", "gzip_min_length 1000;")
	ngxApply(t, f, e, "http {\n    gzip on;  # compress\n    gzip_types text/css;\n    gzip_min_length 1000;\n    server {\n        listen 80;\n    }\n}\n")
}

func TestNginxInsertTabsCRLF(t *testing.T) {
	src := "http {\r\n\tserver {\r\n\t\tlocation / {\r\n\t\t\tproxy_pass http://app;\r\n\t\t}\r\n\t}\r\n}\r\n"
	f := ngxParse(t, src)
	loc := f.Locations()[0]
	e := NginxInsert(f.Doc, loc.Block, []string{"proxy_pass"}, "proxy_http_version 1.1;")
	ngxApply(t, f, e, "http {\r\n\tserver {\r\n\t\tlocation / {\r\n\t\t\tproxy_pass http://app;\r\n\t\t\tproxy_http_version 1.1;\r\n\t\t}\r\n\t}\r\n}\r\n")
	e = NginxInsertEnd(f.Doc, f.HTTP().Block, "gzip on;")
	ngxApply(t, f, e, "http {\r\n\tserver {\r\n\t\tlocation / {\r\n\t\t\tproxy_pass http://app;\r\n\t\t}\r\n\t}\r\n\tgzip on;\r\n}\r\n")
}

func TestNginxInsertEmptyBlock(t *testing.T) {
	src := "http {\n  server {\n    location / {\n    }\n    location /x {}\n  }\n}\n"
	f := ngxParse(t, src)
	locs := f.Locations()
	ngxApply(t, f, NginxInsertEnd(f.Doc, locs[0].Block, "return 204;"),
		"http {\n  server {\n    location / {\n      return 204;\n    }\n    location /x {}\n  }\n}\n")
	ngxApply(t, f, NginxInsertEnd(f.Doc, locs[1].Block, "return 204;"),
		"http {\n  server {\n    location / {\n    }\n    location /x {\n      return 204;\n    }\n  }\n}\n")
}

func TestNginxInsertOneLineBlock(t *testing.T) {
	src := "server { location / { proxy_pass http://a:1; } }\n"
	f := ngxParse(t, src)
	loc := f.Locations()[0]
	ngxApply(t, f, NginxInsert(f.Doc, loc.Block, []string{"proxy_pass"}, "proxy_http_version 1.1;"),
		"server { location / { proxy_pass http://a:1; proxy_http_version 1.1; } }\n")
}

func TestNginxInsertBefore(t *testing.T) {
	src := "http {\n    sendfile on;\n    server {\n    }\n}\n"
	f := ngxParse(t, src)
	srv := f.Servers()[0]
	ngxApply(t, f, NginxInsertBefore(f.Doc, srv, "gzip on;"),
		"http {\n    sendfile on;\n    gzip on;\n    server {\n    }\n}\n")
}

func TestNginxInsertTopLevel(t *testing.T) {
	src := "server {\n}" // no final newline
	f := ngxParse(t, src)
	ngxApply(t, f, NginxInsertEnd(f.Doc, f.Root, "upstream a { server b:1; }"),
		"server {\n}\nupstream a { server b:1; }") // and still none
}

func TestNginxReplaceArg(t *testing.T) {
	src := "http {\n    gzip off;\n    add_header X \"a\";\n}\n"
	f := ngxParse(t, src)
	ngxApply(t, f, NginxReplaceArg(f.Doc, f.All("gzip")[0], 0, "on"), "http {\n    gzip on;\n    add_header X \"a\";\n}\n")
	ngxApply(t, f, NginxReplaceArg(f.Doc, f.All("add_header")[0], 1, `b"c`), "http {\n    gzip off;\n    add_header X \"b\\\"c\";\n}\n")
	ngxApply(t, f, NginxReplaceArg(f.Doc, f.All("gzip")[0], 0, "a b"), "http {\n    gzip \"a b\";\n    add_header X \"a\";\n}\n")
}

func TestNginxUpstream(t *testing.T) {
	src := "http {\n\tinclude mime.types;\n\n\tserver {\n\t\tlisten 80;\n\t}\n}\n"
	f := ngxParse(t, src)
	ngxApply(t, f, NginxUpstream(f.Doc, f.Servers()[0], "web_backend", []string{"web:8000"}, "keepalive 32;"),
		"http {\n\tinclude mime.types;\n\n\tupstream web_backend {\n\t\tserver web:8000;\n\t\tkeepalive 32;\n\t}\n\n\tserver {\n\t\tlisten 80;\n\t}\n}\n")

	// A conf.d snippet: the server is at the top level.
	f = ngxParse(t, "server {\n  listen 80;\n}\n")
	ngxApply(t, f, NginxUpstream(f.Doc, f.Servers()[0], "app", []string{"app:80"}),
		"upstream app {\n  server app:80;\n}\n\nserver {\n  listen 80;\n}\n")
}
