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
	"github.com/headroom-dev/headroom/parsers/envfile"
	"github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/requirements"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// File is one parsed file; exactly one of the tree fields is set, by Kind.
type File struct {
	Doc          *parsers.Document
	Dockerfile   *dockerfile.File
	Nginx        *nginx.File
	Compose      *compose.File
	Python       *python.Module
	Requirements *requirements.File
	Shell        *shell.Script // an entrypoint or start script
	Env          *envfile.File // a dotenv file
}

// Command is an app-server or worker command line found in the stack.
type Command struct {
	File    *File
	Service string // the compose service whose command it is ("" in a Dockerfile)
	// Services are the compose services that run it: its own, or for a
	// Dockerfile's CMD, every service that builds that Dockerfile and does
	// not override the command.
	Services []string
	Server   *servercmd.Command
	// Stage is, for a Dockerfile command, the build target that runs it
	// when that is not the final stage (`FROM base AS production` above a
	// `dev` stage, built with --target): its ENV is the one in effect.
	// Nil for the final stage's commands.
	Stage *dockerfile.Stage
	// built says a compose service builds this Dockerfile command's image
	// (the final stage), whether or not it keeps the command.
	built bool
}

// Stack is the whole deployment.
type Stack struct {
	Files    []*File
	Commands []*Command
	// Versions maps a normalised package name (lower case, "-" for "_") to
	// what the requirements say of it.
	Versions map[string]requirements.Requirement

	// idx answers the per-file questions rules ask of the whole stack in
	// constant time; without it a 10,000-file monorepo spends most of its
	// lint in quadratic scans. New builds it; a Stack put together by hand
	// has none and falls back to scanning.
	idx *index
	// dockerfiles maps each Dockerfile's cleaned path to it (the first of
	// that path), for derive's per-service lookups; nil in a Stack put
	// together by hand.
	dockerfiles map[string]*File
	// memo caches what Memo computes; nil in a Stack put together by hand.
	memo *memo

	// Skipped are files discovery found but did not lint (templates), with
	// the reason: notices, not errors.
	Skipped []Skipped
	// Tree is every file of the folders linted, read or not; nil when only
	// files were named (then nothing says what the repository holds).
	Tree *Tree
	// d holds what derive computes once in New (rules read the stack from
	// many goroutines).
	d *derived
	// apps is the Django app model of the stack's app modules, built in New.
	apps *Apps
}

type index struct {
	files     map[string]*File
	pgbouncer map[string]bool     // compose service name or hostname (lower case): runs PgBouncer
	server    map[string]*Command // compose service name (lower case): first web command it runs
	web       []*Command          // app-server commands other than Celery, in order
	mode      Mode
	modeCmd   *Command
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
	case parsers.KindPython, parsers.KindPythonApp:
		f.Python, err = python.Parse(doc)
	case parsers.KindRequirements:
		f.Requirements, err = requirements.Parse(doc)
	case parsers.KindShell:
		switch {
		case shell.IsProcfile(doc.Path):
			f.Shell, err = shell.ParseProcfile(doc)
		case shell.IsMakefile(doc.Path):
			f.Shell, err = shell.ParseMakefile(doc)
		case shell.IsSupervisord(doc.Path, doc.Src):
			f.Shell, err = shell.ParseSupervisord(doc)
		default:
			f.Shell, err = shell.ParseScript(doc)
		}
	case parsers.KindEnv:
		f.Env, err = envfile.Parse(doc)
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
			var parsed []parsers.Argv
			for _, target := range targets(f) {
				for _, argv := range f.Dockerfile.CommandsOf(target) {
					if within(argv, parsed) {
						continue // the CMD of an ENTRYPOINT it was joined with, or one a target inherits
					}
					if !s.cmdRunsAlone(f, target, argv) {
						continue // an argument of an entrypoint script that does not exec it
					}
					for _, c := range serverCommands(argv) {
						s.Commands = append(s.Commands, &Command{File: f, Server: c, Stage: target})
						parsed = append(parsed, argv)
					}
				}
			}
		case f.Compose != nil:
			for _, svc := range f.Compose.Services {
				for _, argv := range s.serviceArgvs(f, svc) {
					for _, c := range serverCommands(argv) {
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
	s.memo = &memo{}
	s.dockerfiles = map[string]*File{}
	for _, f := range files {
		if p := path.Clean(f.Doc.Path); f.Dockerfile != nil && s.dockerfiles[p] == nil {
			s.dockerfiles[p] = f
		}
	}
	s.linkBuilds()
	s.derive()
	s.index()
	s.apps = buildApps(files)
	return s
}

// index derives the lookups of s.idx from the finished stack.
func (s *Stack) index() {
	idx := &index{files: make(map[string]*File, len(s.Files)), pgbouncer: map[string]bool{}, server: map[string]*Command{}}
	for _, f := range s.Files {
		if _, dup := idx.files[f.Doc.Path]; !dup {
			idx.files[f.Doc.Path] = f
		}
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			pg := strings.Contains(strings.ToLower(svc.Name), "pgbouncer") || strings.Contains(strings.ToLower(svc.Image), "pgbouncer")
			for _, h := range svc.Hostnames() {
				h = strings.ToLower(h)
				idx.pgbouncer[h] = idx.pgbouncer[h] || pg
			}
		}
	}
	for _, c := range s.Commands {
		if c.Server.Program == "celery" {
			continue
		}
		idx.web = append(idx.web, c)
		for _, svc := range c.Services {
			if _, seen := idx.server[strings.ToLower(svc)]; !seen {
				idx.server[strings.ToLower(svc)] = c
			}
		}
	}
	idx.mode, idx.modeCmd = s.webMode()
	s.idx = idx
}

// targets are the build targets of a Dockerfile whose commands count: nil
// for the final stage first, then each earlier stage that may run as an
// image (dockerfile.File.Targets).
func targets(f *File) []*dockerfile.Stage {
	out := []*dockerfile.Stage{nil}
	ts := f.Dockerfile.Targets()
	if len(ts) > 1 {
		out = append(out, ts[1:]...)
	}
	return out
}

// linkBuilds gives each Dockerfile command the compose services that build
// that Dockerfile and keep its command.
func (s *Stack) linkBuilds() {
	byDockerfile := map[string][]*Command{}
	for _, c := range s.Commands {
		if c.File.Dockerfile != nil {
			p := path.Clean(c.File.Doc.Path)
			byDockerfile[p] = append(byDockerfile[p], c)
		}
	}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		dir := path.Dir(f.Doc.Path)
		for _, svc := range f.Compose.Services {
			if svc.BuildDockerfile == "" {
				continue
			}
			for _, c := range byDockerfile[path.Join(dir, svc.BuildDockerfile)] {
				if c.Stage == nil { // compose builds the final stage
					c.built = true
					if svc.Command == nil && svc.Entrypoint == nil {
						c.Services = append(c.Services, svc.Name)
					}
				}
			}
		}
	}
}

// File returns the parsed file at path, or nil.
func (s *Stack) File(path string) *File {
	if s.idx != nil {
		return s.idx.files[path]
	}
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
// the database rules must plan for. A gunicorn command whose worker class
// headroom does not know makes it unknown unless another server is ASGI,
// and is the command returned with ModeUnknown.
func (s *Stack) WebMode() (Mode, *Command) {
	if s.idx != nil {
		return s.idx.mode, s.idx.modeCmd
	}
	return s.webMode()
}

func (s *Stack) webMode() (Mode, *Command) {
	var wsgi, unknown *Command
	for _, c := range s.Commands {
		switch s.Mode(c) {
		case servercmd.ASGI:
			return ModeASGI, c
		case servercmd.WSGI:
			if wsgi == nil {
				wsgi = c
			}
		default:
			// gunicorn with a worker class headroom does not know may
			// serve either: the stack's mode is not known.
			if unknown == nil && c.Server.Program == "gunicorn" {
				unknown = c
			}
		}
	}
	if unknown != nil {
		return ModeUnknown, unknown
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
	if s.idx != nil {
		return s.idx.pgbouncer[host] || strings.Contains(host, "pgbouncer")
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
	if s.idx != nil {
		if c := s.idx.server[host]; c != nil {
			return c
		}
		if len(s.idx.web) == 1 {
			return s.idx.web[0]
		}
		return nil
	}
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
