// Package stack builds the one cross-file model of a deployment: every file
// parsed once, the app-server commands found in Dockerfiles and compose
// files, the package versions the requirements pin, and the questions rules
// ask of the whole (is the web app served by ASGI? is this host PgBouncer?).
package stack

import (
	"path"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/dockerfile"
	"github.com/headroom-dev/headroom/parsers/gunicorn"
	"github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/requirements"
)

// File is one parsed file; exactly one of the tree fields is set, by Kind.
type File struct {
	Doc          *parsers.Document
	Dockerfile   *dockerfile.File
	Nginx        *nginx.File
	Compose      *compose.File
	Python       *python.Module
	Requirements *requirements.File
}

// Command is an app-server or worker command line found in the stack.
type Command struct {
	File    *File
	Service string // the compose service whose command it is ("" in a Dockerfile)
	// Services are the compose services that run it: its own, or for a
	// Dockerfile's CMD, every service that builds that Dockerfile and does
	// not override the command.
	Services []string
	Server   *gunicorn.Command
}

// Stack is the whole deployment.
type Stack struct {
	Files    []*File
	Commands []*Command
	// Versions maps a normalised package name (lower case, "-" for "_") to
	// what the requirements say of it.
	Versions map[string]requirements.Requirement
}

// Parse parses one document into a File, choosing the parser by Kind.
func Parse(doc *parsers.Document) (*File, error) {
	if err := doc.CheckText(); err != nil {
		return nil, err
	}
	f := &File{Doc: doc}
	var err error
	switch doc.Kind {
	case parsers.KindDockerfile:
		f.Dockerfile, err = dockerfile.Parse(doc)
	case parsers.KindNginx:
		f.Nginx, err = nginx.Parse(doc)
	case parsers.KindCompose:
		f.Compose, err = compose.Parse(doc)
	case parsers.KindPython:
		f.Python, err = python.Parse(doc)
	case parsers.KindRequirements:
		f.Requirements, err = requirements.Parse(doc)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// New assembles a Stack from parsed files (in any order) and derives the
// cross-file facts.
func New(files []*File) *Stack {
	s := &Stack{Files: files, Versions: map[string]requirements.Requirement{}}
	for _, f := range files {
		switch {
		case f.Dockerfile != nil:
			for _, argv := range f.Dockerfile.Commands() {
				if c := gunicorn.Parse(argv); c != nil {
					s.Commands = append(s.Commands, &Command{File: f, Server: c})
				}
			}
		case f.Compose != nil:
			for _, svc := range f.Compose.Services {
				for _, argv := range []*parsers.Argv{svc.Entrypoint, svc.Command} {
					if argv == nil {
						continue
					}
					if c := gunicorn.Parse(*argv); c != nil {
						s.Commands = append(s.Commands, &Command{File: f, Service: svc.Name, Services: []string{svc.Name}, Server: c})
					}
				}
			}
		case f.Requirements != nil:
			for name, r := range f.Requirements.Packages {
				if _, seen := s.Versions[name]; !seen || r.Version.Known() {
					s.Versions[name] = r
				}
			}
		}
	}
	s.linkBuilds()
	return s
}

// linkBuilds gives each Dockerfile command the compose services that build
// that Dockerfile and keep its command.
func (s *Stack) linkBuilds() {
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		dir := path.Dir(f.Doc.Path)
		for _, svc := range f.Compose.Services {
			if svc.BuildDockerfile == "" || svc.Command != nil || svc.Entrypoint != nil {
				continue
			}
			want := path.Join(dir, svc.BuildDockerfile)
			for _, c := range s.Commands {
				if c.File.Dockerfile != nil && path.Clean(c.File.Doc.Path) == want {
					c.Services = append(c.Services, svc.Name)
				}
			}
		}
	}
}

// File returns the parsed file at path, or nil.
func (s *Stack) File(path string) *File {
	for _, f := range s.Files {
		if f.Doc.Path == path {
			return f
		}
	}
	return nil
}

// Mode is how the Django app is served.
type Mode int

const (
	ModeUnknown Mode = iota
	ModeWSGI         // gunicorn sync/gthread/gevent workers on a WSGI app
	ModeASGI         // Uvicorn workers, uvicorn or Daphne on an ASGI app
)

func (m Mode) String() string { return [...]string{"unknown", "WSGI", "ASGI"}[m] }

// WebMode says whether the web app is served by ASGI or WSGI, and by which
// command. Any ASGI server makes the stack ASGI: the settings module is then
// loaded by an event-loop process, whose per-thread connections are what
// the database rules must plan for.
func (s *Stack) WebMode() (Mode, *Command) {
	var wsgi *Command
	for _, c := range s.Commands {
		switch c.Server.Mode() {
		case gunicorn.ASGI:
			return ModeASGI, c
		case gunicorn.WSGI:
			if wsgi == nil {
				wsgi = c
			}
		}
	}
	if wsgi != nil {
		return ModeWSGI, wsgi
	}
	return ModeUnknown, nil
}

// Version returns what the requirements say of a package.
func (s *Stack) Version(pkg string) (requirements.Requirement, bool) {
	r, ok := s.Versions[requirements.Normalize(pkg)]
	return r, ok
}

// IsPgBouncer reports whether host names a compose service that runs
// PgBouncer (by service name or image), so connections to it are pooled.
func (s *Stack) IsPgBouncer(host string) bool {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		return false
	}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if strings.ToLower(svc.Name) != host && !containsString(svc.Hostnames(), host) {
				continue
			}
			if strings.Contains(strings.ToLower(svc.Name), "pgbouncer") || strings.Contains(strings.ToLower(svc.Image), "pgbouncer") {
				return true
			}
		}
	}
	return strings.Contains(host, "pgbouncer")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if strings.ToLower(x) == s {
			return true
		}
	}
	return false
}

// ServerFor returns the app-server command that serves requests proxied to
// host (an upstream server or proxy_pass host, usually a compose service
// name), or nil when the stack does not say. With no compose service of that
// name, a stack with exactly one web server command is taken to be it.
func (s *Stack) ServerFor(host string) *Command {
	host = strings.ToLower(host)
	var web []*Command
	for _, c := range s.Commands {
		if c.Server.Program == "celery" {
			continue
		}
		for _, svc := range c.Services {
			if strings.ToLower(svc) == host {
				return c
			}
		}
		web = append(web, c)
	}
	if len(web) == 1 {
		return web[0]
	}
	return nil
}
