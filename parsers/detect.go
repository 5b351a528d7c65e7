package parsers

import (
	"bytes"
	"path"
	"regexp"
	"strings"
)

// Detect says which kind of deployment file a path holds. head is the start
// of the file (may be nil); it is only needed to recognise Python modules that
// are settings modules without the name.
func Detect(p string, head []byte) Kind {
	p = strings.ReplaceAll(p, "\\", "/")
	base := path.Base(p)
	dir := path.Base(path.Dir(p))
	lower := strings.ToLower(base)
	switch {
	case base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(lower, ".dockerfile"):
		return KindDockerfile
	case (strings.HasSuffix(lower, ".conf") || strings.HasSuffix(lower, ".ini")) && supervisordProgram.Match(head) && serverWord.Match(head):
		// A supervisord configuration whose programs start an app server
		// ([program:web] command=gunicorn ...): their command lines are
		// read as shell.
		return KindShell
	case strings.HasSuffix(base, ".conf") && isShellEnv(head):
		// A conf.d/*.conf of NAME=value lines is an environment file a
		// start script sources (GUNICORN_WORKERS=2), not nginx.
		return KindEnv
	case base == "nginx.conf" || (strings.HasSuffix(base, ".conf") && (strings.Contains(p, "nginx/") || dir == "conf.d" || dir == "sites-enabled" || dir == "sites-available")):
		return KindNginx
	case strings.HasSuffix(base, ".conf.template") && (strings.Contains(p, "nginx/") || dir == "templates"):
		// The official nginx image runs envsubst on /etc/nginx/templates/*.template
		// into conf.d at start-up; ${VAR} is an nginx variable to the parser.
		return KindNginx
	case (dir == "sites-enabled" || dir == "sites-available") && !strings.Contains(base, ".") && strings.Contains(p, "nginx/"):
		// Debian's site files often have no extension (sites-available/myapp).
		return KindNginx
	case NginxName(p) && LooksNginx(head):
		// nginx files kept outside an nginx folder (.docker/nginx.conf.nginx,
		// api/nginx.conf.template, docker/nginx-cache/server.conf): the name
		// says nginx may be meant, the text says it is.
		return KindNginx
	case isCompose(lower):
		return KindCompose
	case lower == "gunicorn.conf" && !iniSection.Match(head):
		// gunicorn -c gunicorn.conf: a Python config without the .py (a
		// supervisord or INI file of that name has [sections]).
		return KindPython
	case (base == "Procfile" || strings.HasPrefix(base, "Procfile.")) && (serverWord.Match(head) || procScript.Match(head)):
		// Heroku-style `web: gunicorn ...` lines, or a process that runs a
		// start script (`web: bin/start.sh`): read as shell.
		return KindShell
	case (base == "Makefile" || base == "makefile" || base == "GNUmakefile") && makeServer.Match(head):
		// A recipe that starts an app server (`make altprodserver` in an
		// image's ENTRYPOINT): its recipes are read as shell.
		return KindShell
	case strings.HasSuffix(lower, ".py"):
		// gunicorn.conf.py, gunicorn_config.py, config/gunicorn.py (for
		// `-c python:config.gunicorn`): module-level gunicorn settings.
		// Every module of a settings package counts, however deep:
		// django-split-settings keeps its parts in settings/components/.
		if base == "settings.py" || dir == "settings" || strings.Contains(p, "/settings/") || strings.HasPrefix(p, "settings/") || strings.Contains(lower, "gunicorn") || strings.ToLower(dir) == "gunicorn" || isSettingsModule(head) || isGunicornConfig(head) {
			return KindPython
		}
		if isAppModule(base, dir) || codeModules[base] || readsTaskResults(head) {
			return KindPythonApp
		}
	case isRequirements(p):
		return KindRequirements
	case isScript(lower, head):
		return KindShell
	case isEnvFile(p):
		return KindEnv
	}
	return KindUnknown
}

// NginxName reports whether a path is named the way nginx files are when
// they sit outside a folder called nginx: nginx*.conf* (nginx.conf.template,
// nginx-prod.conf, nginx.conf.nginx), *.conf.template, *.conf.tpl,
// *.conf.nginx and *.nginx, or a .conf file in a folder whose name holds
// "nginx" (nginx-cache/server.conf). Such a file is nginx only when its
// text says so (LooksNginx). Example and backup copies are not deployed,
// and templates of other languages (Heroku's nginx buildpack's
// nginx.conf.erb) are not nginx until rendered.
func NginxName(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	base := strings.ToLower(path.Base(p))
	for _, ext := range []string{".example", ".sample", ".dist", ".bak", ".orig", ".old", "~", ".erb", ".j2", ".jinja", ".jinja2", ".mustache", ".hbs", ".ejs"} {
		if strings.HasSuffix(base, ext) {
			return false
		}
	}
	dir := strings.ToLower(path.Base(path.Dir(p)))
	switch {
	case strings.HasPrefix(base, "nginx") && strings.Contains(base, ".conf"):
		return true
	case strings.HasSuffix(base, ".conf.template"), strings.HasSuffix(base, ".conf.tpl"),
		strings.HasSuffix(base, ".conf.nginx"), strings.HasSuffix(base, ".nginx"):
		return true
	case strings.HasSuffix(base, ".conf") && strings.Contains(dir, "nginx"):
		return true
	}
	return false
}

// nginxText matches a line only nginx configuration has: an http, server,
// upstream, location or events block opening, or a directive of nginx's
// http modules ended by a semicolon.
var nginxText = regexp.MustCompile(`(?m)^[ \t]*(?:(?:http|server|upstream|location|events)\b[^;{}\n]*\{|(?:proxy_pass|uwsgi_pass|fastcgi_pass|proxy_set_header|proxy_cache\w*|proxy_\w+_timeout|listen|server_name|client_max_body_size|gzip\w*|worker_processes|worker_connections|sendfile|keepalive_timeout|add_header|try_files)[ \t]+[^;\n]*;)`)

// LooksNginx reports whether text reads as nginx configuration (see
// nginxText); used where a name or a mount only suggests it.
func LooksNginx(head []byte) bool {
	return nginxText.Match(head)
}

// makeServer matches a Makefile recipe line (tab-indented) that names an
// app server.
var makeServer = regexp.MustCompile(`(?m)^\t[^#\n]*\b(gunicorn|uvicorn|daphne|celery|uwsgi|granian|hypercorn)\b`)

// supervisordProgram matches a supervisord [program:x] section header
// (shell.IsSupervisord, which this package cannot import).
var supervisordProgram = regexp.MustCompile(`(?m)^\[program:[^\]]+\][ \t]*\r?$`)

// procScript matches a Procfile line whose process runs a script of the
// repository by its path (`web: bin/buildpack_start.sh`).
var procScript = regexp.MustCompile(`(?m)^[ \t]*[A-Za-z0-9_-]+[ \t]*:[ \t]*(\S*/\S+|\S+\.sh)\b`)

var iniSection = regexp.MustCompile(`(?m)^\s*\[`)

// envLine is a shell assignment of an environment variable, as env files
// sourced by start scripts hold them: an upper-case name, "=" with no
// space before it (nginx directives and Python assignments have one or
// none of these).
var envLine = regexp.MustCompile(`^(export\s+)?[A-Z_][A-Z0-9_]*=`)

// isShellEnv reports whether every line of head that is not blank or a
// comment is an environment assignment, and there is at least one.
func isShellEnv(head []byte) bool {
	n := 0
	for _, line := range strings.Split(string(head), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !envLine.MatchString(line) {
			return false
		}
		n++
	}
	return n > 0
}

// serverWord matches the programs an entrypoint or start script may start
// that headroom models or recognises.
var serverWord = regexp.MustCompile(`(?m)^[^#\n]*\b(gunicorn|uvicorn|daphne|celery|uwsgi|granian|hypercorn|unitd)\b`)

// shebang matches a POSIX shell or bash interpreter line.
var shebang = regexp.MustCompile(`^#!\s*(/usr)?/bin/(env\s+)?(ba|da|a)?sh\b`)

// hashlessShebang matches an interpreter line missing its `!`
// (`#/bin/bash`, La Suite's bin/scalingo_run_web). The kernel refuses such
// a file (ENOEXEC) and the shell that runs the command, a Procfile's or a
// script's, then reads it as a shell script itself (POSIX, Shell Command
// Language 2.9.1.1 "Command Search and Execution": "If the execve()
// function fails due to an error equivalent to the [ENOEXEC] error ... the
// shell shall execute a command equivalent to having a shell invoked with
// the command name as its first operand").
var hashlessShebang = regexp.MustCompile(`^#\s*(/usr)?/bin/(env\s+)?(ba|da|a)?sh\b`)

// isScript reports whether a file is a shell script that starts an app
// server: a .sh file, or one without an extension and with a shell shebang
// (`compose/production/django/start`), that names a server outside
// comments. Scripts that only run migrations are of no interest.
func isScript(base string, head []byte) bool {
	switch {
	case strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".bash"):
	case !strings.Contains(base, ".") && (shebang.Match(head) || hashlessShebang.Match(head)):
	default:
		return false
	}
	return serverWord.Match(head)
}

// isEnvFile matches compose's .env and the env files services name by
// convention (.env.production, .envs/.production/.django, *.env).
func isEnvFile(p string) bool {
	base := path.Base(p)
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env"):
		return !strings.HasSuffix(base, ".example") && !strings.HasSuffix(base, ".sample") && !strings.HasSuffix(base, ".template")
	case strings.Contains(p, ".envs/"):
		return true
	}
	return false
}

// IsTemplated reports whether a file is a template headroom cannot read
// before it is rendered: one whose `{% if %}`, `{% for %}`, `{% include %}`
// (and similar) tags make some of its lines conditional, repeated or
// replaced. Placeholders alone (`{{ cookiecutter.project_slug }}` in a path,
// a command or a value) do not make a file unreadable: they are opaque
// values (see MaskTemplates).
func IsTemplated(src []byte) bool {
	return HasTemplateBlocks(src)
}

func isCompose(base string) bool {
	for _, ext := range []string{".yml", ".yaml"} {
		if strings.HasSuffix(base, ext) {
			stem := strings.TrimSuffix(base, ext)
			return strings.HasPrefix(stem, "docker-compose") || stem == "compose" || strings.HasPrefix(stem, "compose.") || strings.HasPrefix(stem, "compose-")
		}
	}
	return false
}

func isRequirements(p string) bool {
	base := path.Base(p)
	dir := path.Base(path.Dir(p))
	switch {
	case strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt"):
		return true
	case dir == "requirements" && strings.HasSuffix(base, ".txt"):
		return true
	case base == "pyproject.toml" || base == "poetry.lock" || base == "uv.lock":
		return true
	}
	return false
}

// settingsNames are the settings whose module-level assignment makes a
// module a Django settings module for headroom.
var settingsNames = [][]byte{[]byte("DATABASES"), []byte("CACHES")}

// isSettingsModule reports whether a line of head starts by assigning one
// of settingsNames: the name, white space (\t \n \f \r or a space), then
// ":" or "=" (what `(?m)^(DATABASES|CACHES)\s*[:=]` matches, found with
// bytes.Index rather than a regular expression run over every byte).
func isSettingsModule(head []byte) bool {
	for _, name := range settingsNames {
		for off := 0; ; {
			i := bytes.Index(head[off:], name)
			if i < 0 {
				break
			}
			i += off
			off = i + 1
			if i > 0 && head[i-1] != '\n' {
				continue
			}
			j := i + len(name)
			for j < len(head) && strings.IndexByte("\t\n\f\r ", head[j]) >= 0 {
				j++
			}
			if j < len(head) && (head[j] == ':' || head[j] == '=') {
				return true
			}
		}
	}
	return false
}

// gunicornSettings are the gunicorn settings whose module-level
// assignment marks a gunicorn config file.
var gunicornSettings = map[string]bool{
	"bind": true, "workers": true, "worker_class": true, "threads": true, "timeout": true,
	"graceful_timeout": true, "keepalive": true, "max_requests": true, "max_requests_jitter": true,
	"wsgi_app": true, "preload_app": true, "worker_connections": true, "accesslog": true, "errorlog": true,
}

// isGunicornConfig reports whether head reads as a gunicorn config file
// under any name (`gunicorn --config wsgi/config.py`): module-level
// assignments (`name =` at the start of a line) of `bind` or `workers`
// and of at least one other gunicorn setting. Every .py file's head is
// asked, so it scans lines rather than run a regular expression.
func isGunicornConfig(head []byte) bool {
	if !bytes.Contains(head, []byte("bind")) && !bytes.Contains(head, []byte("workers")) {
		return false
	}
	names := map[string]bool{}
	for line := range bytes.Lines(head) {
		i := 0
		for i < len(line) && (line[i] == '_' || 'a' <= line[i] && line[i] <= 'z') {
			i++
		}
		if i == 0 || !gunicornSettings[string(line[:i])] {
			continue
		}
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		if j < len(line) && line[j] == '=' {
			names[string(line[:i])] = true
		}
	}
	return len(names) >= 2 && (names["bind"] || names["workers"])
}

// appModules are the module names (or package folders) of a Django app
// whose code decides what queries a request runs.
var appModules = map[string]bool{"models": true, "serializers": true, "views": true, "viewsets": true}

// isAppModule reports whether a .py file is one of an app's models,
// serializers or views modules, or a module of such a package
// (chat/views/session.py).
func isAppModule(base, dir string) bool {
	return appModules[strings.TrimSuffix(base, ".py")] || appModules[dir]
}

// readsTaskResults says a module imports celery.result (AsyncResult,
// GroupResult, a subclass of them): whether task results are read
// (HR504) depends on it, whatever the module's name (jobs/results.py).
func readsTaskResults(head []byte) bool {
	return bytes.Contains(head, []byte("celery.result"))
}

// codeModules are the entry points that name the settings module
// (wsgi.py, asgi.py, manage.py: os.environ.setdefault) and the modules that
// decide whether Celery settings apply
// (the Celery app module, whose config_from_object names the settings
// namespace) and whether throttle rates are used (a project's throttle
// classes).
var codeModules = map[string]bool{"celery.py": true, "celery_app.py": true, "celeryapp.py": true, "throttles.py": true, "throttling.py": true, "wsgi.py": true, "asgi.py": true, "manage.py": true}
