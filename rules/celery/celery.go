// Package celery holds the rules on Celery's Django settings and worker
// command lines: the settings namespace (HR501), prefetching on long-task
// queues (HR502), broker retry on start-up (HR503), stored results nobody
// reads (HR504) and compression of small messages (HR506). A gevent pool
// larger than the database allows is a term of HR901's connection budget.
package celery

import (
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/stack"
)

// appConfig is a Celery app's config_from_object call.
type appConfig struct {
	File *stack.File
	Call *python.CallSite
	// Object is the first argument ("django.conf:settings"); "" when it is
	// not a string literal.
	Object string
	// Namespace is the namespace keyword's value; HasNamespace says it is
	// written (as a literal).
	Namespace    string
	HasNamespace bool
	NamespaceArg *python.Arg
}

// appConfigs finds the config_from_object calls of the stack's Python
// modules (the Celery app module, usually <project>/celery.py).
func appConfigs(s *stack.Stack) []appConfig {
	return stack.Memo(s, &appConfigsKey, func() []appConfig { return findAppConfigs(s) })
}

// appConfigsKey keys appConfigs' result in the stack's memo: every
// settings module asks, and the answer is the same for the whole stack.
var appConfigsKey byte

func findAppConfigs(s *stack.Stack) []appConfig {
	var out []appConfig
	for _, f := range s.Files {
		if f.Python == nil || !strings.Contains(string(f.Doc.Src), "config_from_object") {
			continue
		}
		code, err := f.Python.Code()
		if err != nil {
			continue
		}
		for _, c := range code.Calls {
			if c.Method != "config_from_object" {
				continue
			}
			ac := appConfig{File: f, Call: c}
			obj := c.Positional(0)
			if obj == nil {
				obj = c.Kwarg("obj")
			}
			if obj != nil {
				if l, ok := obj.Value.Value.Effective(); ok && l.Kind == python.Str {
					ac.Object = l.Str
				}
			}
			if ns := c.Kwarg("namespace"); ns != nil {
				ac.NamespaceArg = ns
				if l, ok := ns.Value.Value.Effective(); ok && l.Kind == python.Str {
					ac.Namespace, ac.HasNamespace = l.Str, true
				}
			}
			out = append(out, ac)
		}
	}
	return out
}

// loadsDjangoSettings says the call reads Django's settings object.
func (a appConfig) loadsDjangoSettings() bool {
	return a.Object == "django.conf:settings" || a.Object == "django.conf.settings"
}

// settingsApply reports whether CELERY_* settings reach Celery: true when
// an app module loads Django's settings with namespace "CELERY", or when
// the stack holds no app module to say otherwise (the layout Celery's
// Django guide sets up, which the CELERY_ names show the author follows).
func settingsApply(s *stack.Stack) bool {
	acs := appConfigs(s)
	if len(acs) == 0 {
		return true
	}
	for _, a := range acs {
		if a.loadsDjangoSettings() && a.HasNamespace && a.Namespace == "CELERY" {
			return true
		}
	}
	return false
}

// settingsFile is the settings module the Celery rules report on: the one
// binding CELERY_BROKER_URL, else the first binding any CELERY_ name.
func settingsFile(s *stack.Stack) *stack.File {
	var first *stack.File
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		ns := namespace(s, f)
		if o := ns.Names["CELERY_BROKER_URL"]; o != nil && !o.Conditional && o.Doc() == f.Doc {
			return f
		}
		if first == nil && len(celeryNames(ns, f)) > 0 {
			first = f
		}
	}
	return first
}

// namespace is what settings module f binds as Django loads it: its
// module-level names, and where the settings are kept in a
// django-configurations class, the chosen class's attributes with its
// bases'.
func namespace(s *stack.Stack, f *stack.File) *python.Namespace {
	if sts := s.SettingsFor(f); len(sts) > 0 && sts[0].Configuration != "" {
		return sts[0].NS
	}
	return f.Python.Namespace()
}

// celeryNames lists the CELERY_* names settings module f binds itself
// (module-level, or in the chosen django-configurations classes).
func celeryNames(ns *python.Namespace, f *stack.File) []string {
	var out []string
	for _, st := range ns.Statements {
		if strings.HasPrefix(st.Name, "CELERY_") && !st.Conditional && st.Doc == f.Doc {
			out = append(out, st.Name)
		}
	}
	return out
}

// setting returns what a CELERY_ setting holds in any settings module of
// the stack (the celery settings file first), and that module's file.
func setting(s *stack.Stack, name string) (*python.Object, *stack.File) {
	if f := settingsFile(s); f != nil {
		if o := namespace(s, f).Names[name]; o != nil {
			return o, f
		}
	}
	for _, f := range s.Files {
		if f.Python != nil && f.Doc.Kind == parsers.KindPython {
			if o := f.Python.Names[name]; o != nil {
				return o, f
			}
		}
	}
	return nil, nil
}

// lastCeleryStatement is the statement new CELERY_ settings go after:
// the last unconditional one of settings module f, at module level or in
// the body of a django-configurations class.
func lastCeleryStatement(ns *python.Namespace, f *stack.File) *python.Statement {
	var last *python.Statement
	for _, st := range ns.Statements {
		if strings.HasPrefix(st.Name, "CELERY_") && !st.Conditional && st.Doc == f.Doc && (st.Indent == "" || f.Python.InClass(st)) {
			last = st
		}
	}
	return last
}

// insertAfter adds `line` on a line of its own after statement st, as
// indented as st (in a class body).
func insertAfter(doc *parsers.Document, st *python.Statement, line string) edit.TextEdit {
	nl := doc.Newline()
	text := st.Indent + line + nl
	at := st.LineEnd
	if at == len(doc.Src) && (at == 0 || doc.Src[at-1] != '\n') {
		text = nl + st.Indent + line
	}
	return edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: text}
}

// worker is a celery worker command of the stack.
type worker struct {
	Cmd *stack.Command
}

// workers lists the celery worker commands in file f (nil: every file).
func workers(s *stack.Stack, f *stack.File) []worker {
	var out []worker
	for _, c := range s.Commands {
		if c.Server.Program == "celery" && c.Server.Subcommand == "worker" && (f == nil || c.File == f) {
			out = append(out, worker{Cmd: c})
		}
	}
	return out
}

// Queues are the queues the worker consumes as its -Q lists them; nil
// when it gives none (it then consumes the default queue, or every queue
// of CELERY_TASK_QUEUES).
func (w worker) Queues() []string {
	o := w.Cmd.Server.Lookup("queues")
	if o == nil {
		return nil
	}
	var out []string
	for _, q := range strings.Split(o.Value, ",") {
		if q = strings.TrimSpace(q); q != "" {
			out = append(out, q)
		}
	}
	return out
}

// Name names the worker for messages: its compose service, or the file.
func (w worker) Name() string {
	if len(w.Cmd.Services) > 0 {
		return "service " + strings.Join(w.Cmd.Services, ", ")
	}
	return w.Cmd.File.Doc.Path
}

// intLit returns an object's effective integer value.
func intLit(o *python.Object) (int64, bool) {
	l, ok := o.Value().Effective()
	if !ok || l.Kind != python.Int {
		return 0, false
	}
	return l.Int, true
}

// strLit returns an object's effective string value.
func strLit(o *python.Object) (string, bool) {
	l, ok := o.Value().Effective()
	if !ok || l.Kind != python.Str {
		return "", false
	}
	return l.Str, true
}
