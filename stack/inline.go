package stack

import (
	"bytes"
	"path"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// serverCommands returns the app-server commands an argv runs: itself, or
// the commands of the script it hands to a shell (`sh -c "exec gunicorn
// ..."`, `bash -c "migrate && gunicorn ..."`, after wrappers such as
// `wait-for-it db:5432 --`).
func serverCommands(argv parsers.Argv) []*servercmd.Command {
	if c := servercmd.Parse(argv); c != nil {
		return []*servercmd.Command{c}
	}
	if len(argv.Words) > 1 && buildpackWrappers[path.Base(argv.Words[0].Value)] {
		inner := argv
		inner.Words = argv.Words[1:]
		inner.Span.Start = inner.Words[0].Span.Start
		if c := servercmd.Parse(inner); c != nil {
			return []*servercmd.Command{c}
		}
	}
	var out []*servercmd.Command
	for _, in := range inlineArgvs(argv) {
		if c := servercmd.Parse(in); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// buildpackWrappers start a helper beside the program their arguments name
// and then run it: Heroku's nginx and PgBouncer buildpacks
// (`bin/start-nginx gunicorn -c gunicorn.conf app.wsgi`).
var buildpackWrappers = map[string]bool{"start-nginx": true, "start-nginx-solo": true, "start-nginx-debug": true, "start-pgbouncer": true, "start-pgbouncer-stunnel": true}

var inlineShells = map[string]bool{"sh": true, "bash": true, "dash": true, "ash": true, "zsh": true}

// inlineArgvs returns the simple commands of the script a `sh -c SCRIPT`
// in argv runs, each starting at its program (after exec, gosu and the
// like), with word spans in the file. Nil when there is no such script, or
// when a word of it cannot be found as written in the file (escapes): then
// an edit could not land in the right place.
func inlineArgvs(argv parsers.Argv) []parsers.Argv {
	w := argv.Words
	script := -1
	for i := 0; i < len(w) && script < 0; i++ {
		if !inlineShells[path.Base(w[i].Value)] {
			continue
		}
		for j := i + 1; j < len(w) && strings.HasPrefix(w[j].Value, "-"); j++ {
			if f := w[j].Value; !strings.HasPrefix(f, "--") && strings.Contains(f, "c") {
				if j+1 < len(w) {
					script = j + 1
				}
				break
			}
		}
	}
	if script < 0 || argv.Doc == nil {
		return nil
	}
	sw := w[script]
	cmds, err := shell.Commands(sw.Value)
	if err != nil {
		return nil
	}
	src := argv.Doc.Src
	if sw.Span.End > len(src) {
		return nil
	}
	cursor := sw.Span.Start
	var out []parsers.Argv
	for _, c := range cmds {
		words := c.Words[shell.Skip(c.Words):]
		if len(words) == 0 {
			continue
		}
		in := parsers.Argv{Doc: argv.Doc, Form: parsers.FormShell}
		for _, cw := range words {
			raw := sw.Value[cw.Start:cw.End]
			k := bytes.Index(src[cursor:sw.Span.End], []byte(raw))
			if k < 0 {
				return nil
			}
			start := cursor + k
			cursor = start + len(raw)
			in.Words = append(in.Words, parsers.Word{Value: cw.Value, Span: parsers.Span{Start: start, End: cursor}, Quote: cw.Quote})
		}
		in.Span = parsers.Span{Start: in.Words[0].Span.Start, End: in.Words[len(in.Words)-1].Span.End}
		in.AppendAt = in.Span.End
		out = append(out, in)
	}
	return out
}

// platformEnv is a variable the platform sets for a command nothing in view
// sets it for: a Procfile's processes (and the scripts they run, l.procfile)
// run on Heroku-style platforms, whose Python buildpack sets
// WEB_CONCURRENCY from the dyno's size. The value is not known here.
func platformEnv(c *Command, l *launch, name string) (EnvValue, bool) {
	if name != "WEB_CONCURRENCY" || c == nil || c.File == nil {
		return EnvValue{}, false
	}
	if !shell.IsProcfile(c.File.Doc.Path) && (l == nil || !l.procfile) {
		return EnvValue{}, false
	}
	return EnvValue{Name: name, Value: "$" + name, File: c.File, Where: "set by the platform that runs the Procfile (Heroku's Python buildpack sizes it from the dyno)"}, true
}

// copiedConfig follows the image's COPY/ADD instructions to the file of the
// repository a config path in the image was copied from, whatever its name
// there (`COPY deploy/gunicorn_prod.py /etc/gunicorn.conf.py`).
func (s *Stack) copiedConfig(c *Command, rel string) *File {
	l := s.d.launch[c]
	if l == nil || l.docker == nil || l.docker.Dockerfile == nil {
		return nil
	}
	name := rel
	if mod := c.Server.Lookup("config"); mod == nil || !strings.HasPrefix(mod.Value, "python:") {
		if mod != nil {
			name = mod.Value
		}
	}
	p, ok := copiedFrom(l.docker, s.contextOf(l.docker), name)
	if !ok {
		return nil
	}
	for _, f := range s.Files {
		if f.Python != nil && path.Clean(f.Doc.Path) == p {
			return f
		}
	}
	return nil
}
