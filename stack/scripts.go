package stack

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// MissingScript is a script a command runs that is not in the repository:
// headroom cannot read what it starts.
type MissingScript struct {
	File *File        // the file the command is written in
	Word parsers.Word // the word naming the script
	// Repo is the repository path a COPY, ADD or bind mount puts there;
	// "" when nothing in view puts the script in the container.
	Repo string
	// Via says how Repo was found ("COPY in Dockerfile").
	Via string
	// Through is the script of the repository, one headroom does not read
	// otherwise (it names no app server), that runs the missing one: Word
	// is then the command's word naming Through, and Missing the word of
	// Through naming the script that is not there.
	Through string
	Missing string
}

var missingScriptsKey = new(int)

// MissingScripts lists the scripts the stack's commands run (Dockerfile
// CMD/ENTRYPOINT, compose command/entrypoint, the commands of start
// scripts and Procfiles) that are not in the repository: the path a COPY,
// ADD or bind mount takes them from is not in the tree, or nothing puts
// them in the container and no file of that name is in the tree. Programs
// (gunicorn, python, nginx, an absolute path nothing copies that is not a
// .sh file: an installed program) and words built from variables are not
// scripts; nor is the script of an image the stack does not build. Nil
// when the stack has no Tree.
func (s *Stack) MissingScripts() []MissingScript {
	if s.Tree == nil {
		return nil
	}
	return Memo(s, missingScriptsKey, s.missingScripts)
}

func (s *Stack) missingScripts() []MissingScript {
	var out []MissingScript
	seen := map[*parsers.Document]map[int]bool{}
	check := func(f *File, argv parsers.Argv, d *File, cf *File, svc *compose.Service) {
		for _, a := range append([]parsers.Argv{argv}, inlineArgvs(argv)...) {
			w, ok := scriptWord(a)
			if !ok {
				continue
			}
			doc := a.Doc
			if doc == nil {
				doc = f.Doc
			}
			if seen[doc] == nil {
				seen[doc] = map[int]bool{}
			}
			if seen[doc][w.Span.Start] {
				continue
			}
			seen[doc][w.Span.Start] = true
			m, missing := s.lookScript(w, d, cf, svc)
			if missing {
				m.File = f
				out = append(out, m)
			} else if h, ok := s.missingHop(m, d); ok {
				h.File = f
				out = append(out, h)
			}
		}
	}
	for _, f := range s.Files {
		switch {
		case f.Dockerfile != nil:
			for _, argv := range f.Dockerfile.Commands() {
				check(f, argv, f, nil, nil)
			}
		case f.Compose != nil:
			for _, svc := range f.Compose.Services {
				d := s.dockerfileOf(f, svc)
				for _, argv := range []*parsers.Argv{svc.Entrypoint, svc.Command} {
					if argv != nil {
						check(f, *argv, d, f, svc)
					}
				}
			}
		case f.Shell != nil:
			for _, argv := range f.Shell.Commands {
				check(f, argv, nil, nil, nil)
			}
		}
	}
	return out
}

// missingHop follows a script found in the repository that headroom does
// not read (it names no app server, so it is not a file of the stack) one
// hop further: a command of it that runs a script that is not there is
// reported at the first command, naming both (ENTRYPOINT
// ["./entrypoint.sh"], which execs ./webserver.sh, which is missing).
func (s *Stack) missingHop(m MissingScript, d *File) (MissingScript, bool) {
	p := m.Repo
	if p == "" {
		named := s.Tree.Named(path.Base(m.Word.Value))
		if len(named) != 1 {
			return m, false
		}
		p = named[0]
	}
	if !s.Tree.Has(p) || s.File(p) != nil {
		return m, false
	}
	src, err := os.ReadFile(filepath.Join(s.Tree.Base, filepath.FromSlash(p)))
	if err != nil {
		return m, false
	}
	sc, err := shell.ParseScript(&parsers.Document{Path: p, Kind: parsers.KindShell, Src: src})
	if err != nil {
		return m, false
	}
	for _, a := range sc.Commands {
		w, ok := scriptWord(a)
		if !ok {
			continue
		}
		if h, missing := s.lookScript(w, d, nil, nil); missing {
			return MissingScript{Word: m.Word, Repo: h.Repo, Via: h.Via, Through: p, Missing: w.Value}, true
		}
	}
	return m, false
}

// programs are what commands run that are programs of the image, never
// scripts of the repository, whatever path they are written with.
var programs = map[string]bool{
	"gunicorn": true, "uvicorn": true, "daphne": true, "celery": true, "uwsgi": true, "granian": true,
	"hypercorn": true, "nginx": true, "openresty": true, "supervisord": true, "node": true, "npm": true,
	"tini": true, "dumb-init": true, "gosu": true, "su-exec": true, "env": true, "pip": true,
	"django-admin": true, "manage": true, "s6-svscan": true, "redis-server": true, "postgres": true,
}

// scriptWord returns the word naming the program argv runs, past
// wrappers (`exec`, `gosu app`, `tini --`) and shells (`sh start.sh`,
// `bash -e run`), when it names a shell script, the kind headroom follows:
// a .sh or .bash file, or a path without an extension (`./run`,
// `bin/start`, `/start`) that is not a program of the image or a
// buildpack's wrapper (`bin/start-nginx`). An inline `sh -c` script is not
// a file (its commands are checked on their own).
func scriptWord(argv parsers.Argv) (parsers.Word, bool) {
	i := programIndex(argv.Words)
	if i < 0 {
		return parsers.Word{}, false
	}
	word := argv.Words[i]
	prog := word.Value
	base := path.Base(prog)
	switch {
	case prog == "" || strings.ContainsAny(prog, "$`*?"):
		return word, false
	case programs[base] || buildpackWrappers[base] || strings.HasPrefix(base, "python") || strings.HasPrefix(base, "pypy"):
		return word, false
	case strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".bash"):
		return word, true
	case strings.Contains(base, "."):
		// ./manage.py, server.js: a program of another language, which
		// headroom does not follow even when it is in the repository.
		return word, false
	}
	return word, strings.Contains(prog, "/")
}

// programIndex is the index of the word naming the program w runs, or -1
// for none or an inline `sh -c` script.
func programIndex(w []parsers.Word) int {
	i := 0
	for {
		prev := i
		sw := make([]shell.Word, len(w)-i)
		for j := range sw {
			sw[j].Value = w[i+j].Value
		}
		i += shell.Skip(sw)
		for i < len(w) && (shells[w[i].Value] || inlineShells[path.Base(w[i].Value)]) {
			i++
			for i < len(w) && strings.HasPrefix(w[i].Value, "-") {
				if f := w[i].Value; !strings.HasPrefix(f, "--") && strings.Contains(f, "c") {
					return -1
				}
				i++
			}
		}
		if i >= len(w) {
			return -1
		}
		if i == prev {
			return i
		}
	}
}

// pathDirs are the folders of a container's PATH in the official Python
// and Debian images, where a bare script name (`docker-entrypoint.sh`) is
// looked up.
var pathDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// lookScript looks for the script w names: through a bind mount of the
// compose service svc (in cf), then the COPY and ADD instructions of the
// image's Dockerfile d (a bare name through the folders of PATH), then by
// its name anywhere in the tree. It returns what it found and whether the
// script is missing from the repository.
func (s *Stack) lookScript(w parsers.Word, d *File, cf *File, svc *compose.Service) (MissingScript, bool) {
	prog := w.Value
	m := MissingScript{Word: w}
	workdir := ""
	if d != nil && d.Dockerfile != nil {
		workdir = finalWorkdir(d)
	}
	abs := prog
	if !strings.HasPrefix(prog, "/") && workdir != "" {
		abs = path.Join(workdir, prog)
	}
	placed := func(repo, via string) (MissingScript, bool) {
		m.Repo, m.Via = repo, via
		return m, s.Tree.Covers(repo) && !s.Tree.Has(repo)
	}
	if svc != nil && strings.HasPrefix(abs, "/") {
		for _, v := range svc.Volumes {
			if !(strings.HasPrefix(v.Source, ".") || strings.HasPrefix(v.Source, "/")) {
				continue
			}
			src := v.Source
			if !strings.HasPrefix(src, "/") {
				src = path.Join(path.Dir(cf.Doc.Path), src)
			}
			if rel, ok := underMount(abs, mount{src: src, target: path.Clean(v.Target)}); ok {
				return placed(rel, "bind mount of service "+svc.Name+" in "+cf.Doc.Path)
			}
		}
	}
	if d != nil && d.Dockerfile != nil {
		ctx := s.contextOf(d)
		// A bare name is looked up in PATH, never in the working folder.
		targets := []string{prog}
		if !strings.Contains(prog, "/") {
			targets = nil
			for _, dir := range pathDirs {
				targets = append(targets, dir+"/"+prog)
			}
		}
		for _, t := range targets {
			if repo, ok := copiedFrom(d, ctx, t); ok {
				return placed(repo, "COPY or ADD in "+d.Doc.Path)
			}
		}
	} else if svc != nil {
		return m, false // a script of an image the stack does not build
	}
	if s.Tree.HasBase(path.Base(prog)) {
		return m, false // found by its name, as the script is followed
	}
	if strings.HasPrefix(prog, "/") && !strings.HasSuffix(prog, ".sh") && !strings.HasSuffix(prog, ".bash") {
		return m, false // an absolute path nothing copies: a program installed in the image
	}
	return m, true
}

// finalWorkdir is the working directory of the Dockerfile's last stage, as
// its WORKDIR instructions leave it ("" when none sets one).
func finalWorkdir(d *File) string {
	st := d.Dockerfile.FinalStage()
	wd := ""
	for _, ins := range d.Dockerfile.Instructions {
		if ins.Keyword != "WORKDIR" || ins.Stage != st || len(ins.Args) == 0 {
			continue
		}
		base := wd
		if base == "" {
			base = "/"
		}
		wd = wantAbs(ins.Args[0], base)
	}
	return wd
}
