package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/stack"
)

// plan is what one run inside the namespaces needs; the outer test writes it
// as JSON and the inner process reads it.
type plan struct {
	Work      string    // scratch folder for this run (logs, hosts, nginx prefix)
	Servers   []server  // the app servers nginx proxies to
	NginxConf string    // nginx's main configuration file
	EtcNginx  string    // when set, mounted on /etc/nginx
	Directs   string    // nginx -g directives the configuration does not set itself
	Hosts     []string  // names resolved to 127.0.0.1
	Port      int       // the port nginx listens on
	Requests  []request // sent in order once the stack answers
	Out       string    // where the inner process writes its results
}

// server is one app server: its argv, program resolved to Debian's, and
// its working directory (the harness app).
type server struct {
	Argv []string
	Dir  string
	Port string // waited for before any request
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

// WS is a WebSocket handshake: 101 and the first message, or whatever
// answer comes instead. HEAD stays last: the request after it is the one the
// keep-alive breakage below hits.
var requestSet = []request{
	{Method: "GET", Path: "/", Host: "localhost"},
	{Method: "WS", Path: "/ws/chat/1/", Host: "localhost"},
	{Method: "GET", Path: "/api/chat/sessions/?page=2", Host: "localhost"},
	{Method: "POST", Path: "/api/echo/", Host: "localhost", Body: "hello headroom"},
	{Method: "GET", Path: "/big/report.txt", Host: "example.com"},
	{Method: "HEAD", Path: "/healthz", Host: "localhost"},
}

// webServers finds the app servers nginx may proxy to: each gunicorn,
// uvicorn or daphne command line with an application module and no shell
// variables, the first one per port.
func webServers(s *stack.Stack) ([]*stack.Command, string) {
	why := "no gunicorn, uvicorn or daphne web command"
	var out []*stack.Command
	ports := map[string]bool{}
	for _, c := range s.Commands {
		switch {
		case !stack.IsWeb(c):
			continue
		case c.Server.Program != "gunicorn" && c.Server.Program != "uvicorn" && c.Server.Program != "daphne":
			continue
		case c.Server.App == "":
			why = "the web command names no application module"
			continue
		}
		vars := false
		for _, w := range c.Server.Argv.Words {
			vars = vars || strings.Contains(w.Value, "$")
		}
		if vars {
			why = "the web command line uses shell variables"
			continue
		}
		if p := port(c); !ports[p] {
			ports[p] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, why
	}
	return out, ""
}

// port is the TCP port the command binds (8000 by default for all three).
func port(c *stack.Command) string {
	words := c.Server.Argv.Words
	p := "8000"
	for i, w := range words {
		v, next := w.Value, ""
		if i+1 < len(words) {
			next = words[i+1].Value
		}
		switch {
		case c.Server.Program == "gunicorn" && (v == "-b" || v == "--bind"):
			if j := strings.LastIndex(next, ":"); j >= 0 {
				p = next[j+1:]
			}
		case c.Server.Program == "gunicorn" && strings.HasPrefix(v, "--bind="):
			if j := strings.LastIndex(v, ":"); j >= 0 {
				p = v[j+1:]
			}
		case c.Server.Program != "gunicorn" && (v == "--port" || (v == "-p" && c.Server.Program == "daphne")):
			p = next
		case strings.HasPrefix(v, "--port="):
			p = strings.TrimPrefix(v, "--port=")
		}
	}
	return p
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
	case "daphne":
		argv = []string{"/usr/bin/daphne"}
	}
	for _, w := range words[c.Server.ProgramWord+1:] {
		argv = append(argv, w.Value)
	}
	return argv
}

// isASGI reports whether the command serves an ASGI application.
func isASGI(c *stack.Command) bool {
	return c.Server.Program == "uvicorn" || c.Server.Program == "daphne" || strings.Contains(strings.ToLower(c.Server.WorkerClass()), "uvicorn")
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

django_application = get_asgi_application()


async def %s(scope, receive, send):
    if scope["type"] != "websocket":
        return await django_application(scope, receive, send)
    await receive()
    await send({"type": "websocket.accept"})
    host = dict(scope["headers"]).get(b"host", b"").decode()
    await send({"type": "websocket.send", "text": "websocket %%s %%s" %% (scope["path"], host)})
    await send({"type": "websocket.close"})
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
	// An application factory ("CTFd:create_app()"): gunicorn calls the
	// attribute and serves what it returns.
	factory := strings.HasSuffix(attr, ")")
	if i := strings.Index(attr, "("); i >= 0 {
		attr = attr[:i]
	}
	if attr == "" {
		attr = "application"
	}
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
	module := fmt.Sprintf(src, attr)
	if factory {
		module = fmt.Sprintf(src, "served_application") + fmt.Sprintf("\n\ndef %s(*args, **kwargs):\n    return served_application\n", attr)
	}
	files := map[string]string{
		filepath.Join(p, parts[len(parts)-1]+".py"):    module,
		filepath.Join(dir, "headroom_e2e_settings.py"): settingsPy,
		filepath.Join(dir, "headroom_e2e_urls.py"):     urlsPy,
	}
	// uvicorn-worker (uvicorn_worker.UvicornWorker) is not packaged: the
	// same class ships in Debian's uvicorn as uvicorn.workers.UvicornWorker.
	if strings.HasPrefix(c.Server.WorkerClass(), "uvicorn_worker.") {
		if err := os.MkdirAll(filepath.Join(dir, "uvicorn_worker"), 0o755); err != nil {
			return err
		}
		files[filepath.Join(dir, "uvicorn_worker", "__init__.py")] = "from uvicorn.workers import UvicornH11Worker, UvicornWorker  # noqa: F401\n"
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

// nginxService finds the compose service running the nginx image and the
// folder of its compose file.
func nginxService(s *stack.Stack, root string) (*compose.Service, string) {
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			repo, _ := stack.SplitImage(svc.Image)
			if repo == "nginx" || strings.HasSuffix(repo, "/nginx") {
				dir := filepath.Dir(filepath.FromSlash(f.Doc.Path))
				if !filepath.IsAbs(dir) {
					dir = filepath.Join(root, dir)
				}
				return svc, dir
			}
		}
	}
	return nil, ""
}

// etcNginx builds the /etc/nginx the nginx container sees: Debian's
// mime.types and friends, the official image's nginx.conf, and the stack's
// files where its compose volumes mount them.
func etcNginx(svc *compose.Service, composeDir, etc string) error {
	if err := copyTree("/etc/nginx", etc); err != nil {
		return err
	}
	for _, d := range []string{"conf.d", "sites-enabled", "sites-available"} {
		os.RemoveAll(filepath.Join(etc, d))
	}
	if err := os.MkdirAll(filepath.Join(etc, "conf.d"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(etc, "nginx.conf"), []byte(realtools.OfficialNginxConf), 0o644); err != nil {
		return err
	}
	for _, v := range svc.Volumes {
		rel, ok := strings.CutPrefix(v.Target, "/etc/nginx/")
		if !ok || v.Source == "" || !(strings.HasPrefix(v.Source, ".") || strings.HasPrefix(v.Source, "/")) {
			continue
		}
		src := v.Source
		if !filepath.IsAbs(src) {
			src = filepath.Join(composeDir, src)
		}
		dst := filepath.Join(etc, filepath.FromSlash(rel))
		fi, err := os.Stat(src)
		if err != nil {
			return fmt.Errorf("volume %s: %v", v.Source, err)
		}
		if fi.IsDir() {
			os.RemoveAll(dst)
			if err := copyTree(src, dst); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return renderTemplates(svc, etc)
}

// relativeMimeTypes matches `include mime.types;`, a path nginx resolves
// against the folder of its main configuration.
var relativeMimeTypes = regexp.MustCompile(`(?m)^\s*include\s+mime\.types\s*;`)

// envsubstVar is a variable reference envsubst replaces: $NAME or ${NAME}.
var envsubstVar = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// renderTemplates does what the official image's
// 20-envsubst-on-templates.sh does at start: each templates/*.template
// becomes conf.d/<name without .template>, with the variables the
// container's environment defines substituted and every other `$` text
// (nginx's own $host, $remote_addr) left alone.
func renderTemplates(svc *compose.Service, etc string) error {
	tpls, _ := filepath.Glob(filepath.Join(etc, "templates", "*.template"))
	for _, tpl := range tpls {
		b, err := os.ReadFile(tpl)
		if err != nil {
			return err
		}
		out := envsubstVar.ReplaceAllFunc(b, func(m []byte) []byte {
			sub := envsubstVar.FindSubmatch(m)
			name := string(sub[1]) + string(sub[2])
			if e, ok := svc.Env(name); ok && e.HasValue {
				return []byte(e.Value)
			}
			return m
		})
		dst := filepath.Join(etc, "conf.d", strings.TrimSuffix(filepath.Base(tpl), ".template"))
		if err := os.WriteFile(dst, out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// nginxSetup lays out nginx as the stack runs it. With a compose service on
// the nginx image, /etc/nginx is built from its volumes (etc is then the
// folder to mount there); otherwise the main configuration is the file with
// an http block, or a wrapper including the server snippets. It also reads
// the names to resolve and the port to call.
func nginxSetup(s *stack.Stack, root string, files []string, work string) (conf, etc string, hosts []string, port int, directs string, err error) {
	port = 80
	var snippets []string
	seen := map[string]bool{"localhost": true, "unix": true}
	var all strings.Builder
	// addHosts adds the names src's upstreams and proxy_passes reach.
	addHosts := func(src string) {
		for _, re := range []*regexp.Regexp{upstreamHost, proxyHost} {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					hosts = append(hosts, m[1])
				}
			}
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", "", nil, 0, "", err
		}
		src := string(b)
		all.WriteString(src)
		if httpBlock.MatchString(src) && conf == "" {
			conf = f
		} else if serverBlock.MatchString(src) {
			snippets = append(snippets, f)
		}
		addHosts(src)
	}
	for _, m := range listenPort.FindAllStringSubmatch(all.String(), -1) {
		if !strings.Contains(m[2], "ssl") {
			fmt.Sscan(m[1], &port)
			break
		}
	}
	mainFile := conf
	if svc, dir := nginxService(s, root); svc != nil {
		etc = filepath.Join(work, "etc-nginx")
		if err := etcNginx(svc, dir, etc); err != nil {
			return "", "", nil, 0, "", err
		}
		conf, mainFile = "/etc/nginx/nginx.conf", filepath.Join(etc, "nginx.conf")
		// Templates rendered into conf.d name hosts their sources only
		// name by placeholder (server ${BACKEND_HOST}:8000).
		rendered, _ := filepath.Glob(filepath.Join(etc, "conf.d", "*"))
		for _, f := range rendered {
			b, _ := os.ReadFile(f)
			addHosts(string(b))
		}
	} else if conf == "" {
		if len(snippets) == 0 {
			return "", "", nil, 0, "", fmt.Errorf("no nginx file with an http or server block")
		}
		var b strings.Builder
		b.WriteString("events {}\nhttp {\n    include /etc/nginx/mime.types;\n")
		for _, s := range snippets {
			fmt.Fprintf(&b, "    include %s;\n", s)
		}
		b.WriteString("}\n")
		conf = filepath.Join(work, "nginx-main.conf")
		mainFile = conf
		if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
			return "", "", nil, 0, "", err
		}
	}
	main, _ := os.ReadFile(mainFile)
	if etc == "" && relativeMimeTypes.Match(main) {
		// A main configuration mounted into an image that ships mime.types
		// beside it (OpenResty's /usr/local/openresty/nginx/conf): run a
		// copy of its folder with Debian's mime.types added.
		if _, err := os.Stat(filepath.Join(filepath.Dir(mainFile), "mime.types")); err != nil {
			dir := filepath.Join(work, "nginx-conf")
			if err := copyTree(filepath.Dir(mainFile), dir); err != nil {
				return "", "", nil, 0, "", err
			}
			mt, err := os.ReadFile("/etc/nginx/mime.types")
			if err != nil {
				return "", "", nil, 0, "", err
			}
			if err := os.WriteFile(filepath.Join(dir, "mime.types"), mt, 0o644); err != nil {
				return "", "", nil, 0, "", err
			}
			conf = filepath.Join(dir, filepath.Base(mainFile))
		}
	}
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
	return conf, etc, hosts, port, strings.Join(d, " "), nil
}
