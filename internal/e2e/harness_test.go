package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/stack"
)

// plan is what one run inside the namespaces needs; the outer test writes it
// as JSON and the inner process reads it.
type plan struct {
	Work      string    // scratch folder for this run (logs, hosts, nginx prefix)
	AppDir    string    // the server's working directory (the harness app)
	Server    []string  // the server's argv, program resolved to Debian's
	NginxConf string    // nginx's main configuration file
	Directs   string    // nginx -g directives the configuration does not set itself
	Hosts     []string  // names resolved to 127.0.0.1
	Port      int       // the port nginx listens on
	Requests  []request // sent in order once the stack answers
	Out       string    // where the inner process writes its results
}

type request struct {
	Method string
	Path   string
	Host   string
	Body   string
}

type result struct {
	Status int
	Body   string
	Err    string
}

type outcome struct {
	NginxTest string // nginx -t's output
	Results   []result
	Err       string // why the run stopped early
}

// requests is the fixed set each run sends, Rounds times over.
const rounds = 4

var requestSet = []request{
	{Method: "GET", Path: "/", Host: "localhost"},
	{Method: "GET", Path: "/api/chat/sessions/?page=2", Host: "localhost"},
	{Method: "POST", Path: "/api/echo/", Host: "localhost", Body: "hello headroom"},
	{Method: "GET", Path: "/big/report.txt", Host: "example.com"},
	{Method: "HEAD", Path: "/healthz", Host: "localhost"},
}

// webServer finds the web command nginx proxies to: the first gunicorn or
// uvicorn command line with an application module and no variables.
func webServer(s *stack.Stack) (*stack.Command, string) {
	why := "no gunicorn or uvicorn web command"
	for _, c := range s.Commands {
		if !stack.IsWeb(c) || (c.Server.Program != "gunicorn" && c.Server.Program != "uvicorn") {
			continue
		}
		if c.Server.App == "" || !strings.Contains(c.Server.App, ":") {
			why = "the web command names no module:attribute application"
			continue
		}
		for _, w := range c.Server.Argv.Words {
			if strings.Contains(w.Value, "$") {
				why = "the web command line uses shell variables"
				goto next
			}
		}
		return c, ""
	next:
	}
	return nil, why
}

// serverArgv is the command line with its program replaced by Debian's.
func serverArgv(c *stack.Command) []string {
	words := c.Server.Argv.Words
	var argv []string
	switch c.Server.Program {
	case "gunicorn":
		argv = []string{"/usr/bin/gunicorn"}
	case "uvicorn":
		argv = []string{"/usr/bin/python3", "-m", "uvicorn"}
	}
	for _, w := range words[c.Server.ProgramWord+1:] {
		argv = append(argv, w.Value)
	}
	return argv
}

// isASGI reports whether the command serves an ASGI application.
func isASGI(c *stack.Command) bool {
	return c.Server.Program == "uvicorn" || strings.Contains(strings.ToLower(c.Server.WorkerClass()), "uvicorn")
}

const settingsPy = `SECRET_KEY = "headroom-e2e"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "headroom_e2e_urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
`

const urlsPy = `from django.http import HttpResponse
from django.urls import re_path


def echo(request):
    body = "\n".join([
        request.method,
        request.get_full_path(),
        request.get_host(),
        request.META.get("HTTP_X_FORWARDED_PROTO", ""),
        request.body.decode("utf-8", "replace"),
    ]) + "\n"
    if request.path.startswith("/big/"):
        body = body * 100
    return HttpResponse(body, content_type="text/plain")


urlpatterns = [re_path(r"", echo)]
`

const asgiPy = `import os

os.environ["DJANGO_SETTINGS_MODULE"] = "headroom_e2e_settings"

from django.core.asgi import get_asgi_application

%s = get_asgi_application()
`

const wsgiPy = `import os

os.environ["DJANGO_SETTINGS_MODULE"] = "headroom_e2e_settings"

from django.core.wsgi import get_wsgi_application

%s = get_wsgi_application()
`

// writeApp writes the harness Django project under dir, with the module the
// command names (wingman.asgi:application) serving it.
func writeApp(dir string, c *stack.Command) error {
	mod, attr, _ := strings.Cut(c.Server.App, ":")
	attr = strings.TrimSuffix(attr, "()")
	parts := strings.Split(mod, ".")
	p := dir
	for _, pkg := range parts[:len(parts)-1] {
		p = filepath.Join(p, pkg)
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(p, "__init__.py"), nil, 0o644); err != nil {
			return err
		}
	}
	src := wsgiPy
	if isASGI(c) {
		src = asgiPy
	}
	files := map[string]string{
		filepath.Join(p, parts[len(parts)-1]+".py"):    fmt.Sprintf(src, attr),
		filepath.Join(dir, "headroom_e2e_settings.py"): settingsPy,
		filepath.Join(dir, "headroom_e2e_urls.py"):     urlsPy,
	}
	for name, body := range files {
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

var (
	httpBlock    = regexp.MustCompile(`(?m)^\s*http\s*\{`)
	serverBlock  = regexp.MustCompile(`(?m)^\s*server\s*\{`)
	upstreamHost = regexp.MustCompile(`(?m)^\s*server\s+([A-Za-z][A-Za-z0-9_.-]*)`)
	proxyHost    = regexp.MustCompile(`(?:proxy|uwsgi|fastcgi|grpc)_pass\s+(?:[a-z]+://)?([A-Za-z][A-Za-z0-9_.-]*)`)
	listenPort   = regexp.MustCompile(`(?m)^\s*listen\s+(?:\S*:)?([0-9]+)([^;]*);`)
)

// nginxFiles returns the stack's nginx files by absolute path.
func nginxFiles(s *stack.Stack, root string) []string {
	var out []string
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		p := f.Doc.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, filepath.FromSlash(p))
		}
		out = append(out, p)
	}
	return out
}

// nginxSetup picks the main configuration (the file with an http block) or
// wraps the server snippets in one, as the official image's nginx.conf
// includes conf.d, and reads the names to resolve and the port to call.
func nginxSetup(files []string, work string) (conf string, hosts []string, port int, directs string, err error) {
	port = 80
	var snippets []string
	seen := map[string]bool{"localhost": true, "unix": true}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", nil, 0, "", err
		}
		src := string(b)
		all.WriteString(src)
		if httpBlock.MatchString(src) && conf == "" {
			conf = f
		} else if serverBlock.MatchString(src) {
			snippets = append(snippets, f)
		}
		for _, re := range []*regexp.Regexp{upstreamHost, proxyHost} {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					hosts = append(hosts, m[1])
				}
			}
		}
	}
	for _, m := range listenPort.FindAllStringSubmatch(all.String(), -1) {
		if !strings.Contains(m[2], "ssl") {
			fmt.Sscan(m[1], &port)
			break
		}
	}
	if conf == "" {
		if len(snippets) == 0 {
			return "", nil, 0, "", fmt.Errorf("no nginx file with an http or server block")
		}
		var b strings.Builder
		b.WriteString("events {}\nhttp {\n    include /etc/nginx/mime.types;\n")
		for _, s := range snippets {
			fmt.Fprintf(&b, "    include %s;\n", s)
		}
		b.WriteString("}\n")
		conf = filepath.Join(work, "nginx-main.conf")
		if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
			return "", nil, 0, "", err
		}
	}
	main, _ := os.ReadFile(conf)
	var d []string
	if !regexp.MustCompile(`(?m)^\s*daemon\s`).Match(main) {
		d = append(d, "daemon off;")
	}
	// Root in the user namespace maps to the test's own user only: workers
	// keep that user rather than switch to nobody or www-data.
	if !regexp.MustCompile(`(?m)^\s*user\s`).Match(main) {
		d = append(d, "user root root;")
	} else {
		d = append(d, "master_process off;")
	}
	if !regexp.MustCompile(`(?m)^\s*pid\s`).Match(main) {
		d = append(d, "pid "+filepath.Join(work, "nginx.pid")+";")
	}
	return conf, hosts, port, strings.Join(d, " "), nil
}
