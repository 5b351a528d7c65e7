// Package servercmd models the options of app servers and workers (gunicorn,
// uvicorn, daphne, celery worker) from any argv, with a span per option.
//
// Each program's option table says which flags take a value, so the
// positional app (`wingman.asgi:application`) is told apart from an
// option's value, and each option gets a canonical name whatever alias or
// form the author wrote (`-w3`, `-w 3`, `--workers=3`, `--workers 3`).
package servercmd

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// Mode is the protocol an app server speaks to the app.
type Mode int

const (
	Unknown Mode = iota
	WSGI
	ASGI
)

func (m Mode) String() string { return [...]string{"unknown", "WSGI", "ASGI"}[m] }

// Form is how an option and its value are written.
type Form int

const (
	// FormSeparate is a flag and its value as two words: `--workers 3`.
	FormSeparate Form = iota
	// FormEquals is one word joined by "=": `--workers=3`, `-w=3`.
	FormEquals
	// FormAttached is a short flag with its value glued on: `-w3`.
	FormAttached
	// FormBare is a flag without a value: `--preload`.
	FormBare
)

func (f Form) String() string { return [...]string{"separate", "equals", "attached", "bare"}[f] }

// Option is one option of a command line.
type Option struct {
	Name  string // canonical: "workers", "worker-class", ...
	Flag  string // as written: "-w", "--workers"
	Value string // "" for FormBare
	Form  Form
	// Known is false for a flag the program's table does not list; it is
	// then taken to have no value unless written with "=".
	Known bool
	// Span covers the whole option, its value word included.
	Span parsers.Span
	// ValueSpan covers the value as written. For FormEquals and
	// FormAttached it lies inside the flag's word when the word's quoting
	// allows an exact mapping, and is the whole word otherwise.
	ValueSpan parsers.Span
	Word      int // index in Argv.Words of the flag's word
	ValueWord int // index of the value's word (Word unless FormSeparate)
}

// Int returns the value as an integer, when it is one.
func (o *Option) Int() (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(o.Value))
	return n, err == nil
}

// Command is one parsed app-server command line.
type Command struct {
	Argv parsers.Argv
	// Program is "gunicorn", "uvicorn", "daphne", "celery", or a server
	// headroom recognises without rules for it ("uwsgi", "granian").
	Program string
	// ProgramWord is the index of the word naming the program: the
	// executable, or the module after `python -m`.
	ProgramWord int
	// Subcommand is celery's ("worker"); "" for the others.
	Subcommand string
	// App is the positional application (`wingman.asgi:application`), and
	// AppWord its index, or -1 when there is none.
	App     string
	AppWord int
	Options []*Option
}

// ProgramSpan is the span of the word naming the program, where findings
// about something missing from the command are reported.
func (c *Command) ProgramSpan() parsers.Span { return c.Argv.Words[c.ProgramWord].Span }

// Lookup returns the option with the canonical name that takes effect (the
// last one given, as argparse and click keep), or nil.
func (c *Command) Lookup(name string) *Option {
	for i := len(c.Options) - 1; i >= 0; i-- {
		if c.Options[i].Name == name {
			return c.Options[i]
		}
	}
	return nil
}

// All returns every option with the canonical name, in order.
func (c *Command) All(name string) []*Option {
	var out []*Option
	for _, o := range c.Options {
		if o.Name == name {
			out = append(out, o)
		}
	}
	return out
}

// Has reports whether the option is given.
func (c *Command) Has(name string) bool { return c.Lookup(name) != nil }

// Mode says whether the command serves WSGI or ASGI: uvicorn and daphne are
// ASGI servers; gunicorn's mode is its worker class's (GunicornMode); a
// celery worker serves neither.
func (c *Command) Mode() Mode {
	switch c.Program {
	case "uvicorn", "daphne":
		return ASGI
	case "uwsgi":
		return WSGI
	case "granian":
		switch c.WorkerClass() {
		case "asgi":
			return ASGI
		case "wsgi":
			return WSGI
		}
		return Unknown
	case "gunicorn":
		return GunicornMode(c.WorkerClass())
	}
	return Unknown
}

// GunicornMode is the protocol a gunicorn worker class speaks to the app:
// ASGI for Uvicorn's worker classes and gunicorn's own ASGI worker (`-k
// asgi`, gunicorn.workers.gasgi.ASGIWorker, in SUPPORTED_WORKERS from
// gunicorn 24.0.0), WSGI for the WSGI classes gunicorn ships, and Unknown
// for a class headroom does not know (a custom one may be either): no fix
// that depends on the mode is safe there.
func GunicornMode(class string) Mode {
	switch ClassKind(class) {
	case "uvicorn", "asgi":
		return ASGI
	case "sync", "gthread", "gevent", "eventlet", "tornado":
		return WSGI
	}
	return Unknown
}

// WorkerClass is the worker class gunicorn runs, as written ("sync" when
// unset). gunicorn itself swaps the sync worker for gthread when --threads
// is above 1, so that case reports "gthread". For the other programs it is
// "uvicorn" or "daphne", and for a celery worker its pool ("prefork" when
// unset).
func (c *Command) WorkerClass() string {
	switch c.Program {
	case "gunicorn":
		class := "sync"
		if o := c.Lookup("worker-class"); o != nil && o.Value != "" {
			class = o.Value
		}
		if ClassKind(class) == "sync" {
			if o := c.Lookup("threads"); o != nil {
				if n, ok := o.Int(); ok && n > 1 {
					return "gthread"
				}
			}
		}
		return class
	case "celery":
		if o := c.Lookup("pool"); o != nil && o.Value != "" {
			return o.Value
		}
		return "prefork"
	case "granian":
		// granian's --interface: asgi, rsgi (its default) or wsgi.
		if o := c.Lookup("interface"); o != nil && o.Value != "" {
			return o.Value
		}
		return "rsgi"
	}
	return c.Program
}

// ClassKind names the family of a gunicorn worker class, whichever way it
// is spelled (`gevent`, `egg:gunicorn#gevent`,
// `gunicorn.workers.ggevent.GeventWorker`): "sync", "gthread", "gevent",
// "eventlet", "tornado", "uvicorn", "asgi" (gunicorn's own ASGI worker,
// gunicorn/workers/gasgi.py from 24.0.0), or "" when unknown.
func ClassKind(class string) string {
	c := strings.ToLower(strings.TrimSpace(class))
	c = strings.TrimPrefix(c, "egg:gunicorn#")
	switch {
	case c == "sync" || c == "gunicorn.workers.sync.syncworker":
		return "sync"
	case c == "gthread" || c == "gunicorn.workers.gthread.threadworker":
		return "gthread"
	case c == "gevent" || c == "gevent_wsgi" || c == "gevent_pywsgi" || strings.HasPrefix(c, "gunicorn.workers.ggevent."):
		return "gevent"
	case c == "eventlet" || strings.HasPrefix(c, "gunicorn.workers.geventlet."):
		return "eventlet"
	case c == "tornado" || strings.HasPrefix(c, "gunicorn.workers.gtornado."):
		return "tornado"
	case strings.HasPrefix(c, "uvicorn.workers.") || strings.HasPrefix(c, "uvicorn_worker."):
		return "uvicorn"
	case c == "asgi" || strings.HasPrefix(c, "gunicorn.workers.gasgi."):
		return "asgi"
	}
	return ""
}

// Parse returns nil when argv runs no known app server or worker.
func Parse(argv parsers.Argv) *Command {
	w := argv.Words
	if len(w) == 0 {
		return nil
	}
	i, module := wrapped(w)
	if i < 0 || i >= len(w) {
		return nil
	}
	prog := base(w[i].Value)
	if module {
		prog = w[i].Value
	} else if pythonExe.MatchString(prog) {
		// python [-u -O ...] -m <module>
		i++
		prog = ""
		for i < len(w) && strings.HasPrefix(w[i].Value, "-") {
			v := w[i].Value
			if v == "-m" && i+1 < len(w) {
				i++
				prog = w[i].Value
				break
			}
			if strings.HasPrefix(v, "-m") && len(v) > 2 {
				prog = v[2:]
				break
			}
			i++
		}
	}
	if p, ok := mainModules[prog]; ok {
		prog = p
	}
	table := tables[prog]
	if table == nil {
		return nil
	}
	c := &Command{Argv: argv, Program: prog, ProgramWord: i, AppWord: -1}
	var positional []int
	for j := i + 1; j < len(w); j++ {
		v := w[j].Value
		switch {
		case v == "-" || !strings.HasPrefix(v, "-") || isNumber(v):
			positional = append(positional, j)
		case v == "--":
			// Everything after it is positional: an option a fix appends
			// would land there and do nothing, so such a command is not
			// modelled (fuzzing found fixes appending --workers forever).
			return nil
		default:
			o := c.option(table, j)
			c.Options = append(c.Options, o)
			j = o.ValueWord
		}
	}
	switch prog {
	case "celery":
		// celery [global options] worker [worker options]
		for _, j := range positional {
			if w[j].Value == "worker" {
				c.Subcommand = "worker"
				break
			}
		}
		if c.Subcommand == "" {
			return nil // beat, flower, inspect...: not a worker
		}
		if o := c.Lookup("app"); o != nil {
			c.App = o.Value
		}
	default:
		if len(positional) > 0 {
			c.AppWord = positional[0]
			c.App = w[positional[0]].Value
		}
	}
	return c
}

// mainModules are modules of a server other than its package that run
// it as its console script does: gunicorn/app/wsgiapp.py ends with
// `if __name__ == '__main__': run()`, the function gunicorn's console
// script calls (pyproject.toml, [project.scripts] gunicorn =
// "gunicorn.app.wsgiapp:run"), so `python -m gunicorn.app.wsgiapp` is
// gunicorn (warehouse's Dockerfile runs it so).
var mainModules = map[string]string{"gunicorn.app.wsgiapp": "gunicorn"}

var pythonExe = regexp.MustCompile(`^python(\d+(\.\d+)?)?$`)

// wrapped returns the index of the word naming the program that wrappers
// at the start of w exec with the rest of their arguments: APM agents
// (`ddtrace-run`, `newrelic-admin run-program`, `opentelemetry-instrument`)
// and the runners of a project's virtual environment (`uv run`,
// `poetry run`, `pipenv run`). module is true when that word is a module
// (`uv run -m gunicorn`). -1 when a wrapper's own options cannot be told
// apart from the program (an option headroom does not know).
func wrapped(w []parsers.Word) (i int, module bool) {
	for i < len(w) {
		switch base(w[i].Value) {
		case "ddtrace-run":
			i++
		case "opentelemetry-instrument":
			i++
			if i < len(w) && strings.HasPrefix(w[i].Value, "-") {
				return -1, false // its --exporter options take values
			}
		case "newrelic-admin":
			if i+1 >= len(w) || w[i+1].Value != "run-program" {
				return i, false
			}
			i += 2
		case "poetry", "pipenv":
			if i+1 >= len(w) || w[i+1].Value != "run" {
				return i, false
			}
			i += 2
			if i < len(w) && w[i].Value == "--" {
				i++
			}
		case "uv":
			if i+1 >= len(w) || w[i+1].Value != "run" {
				return i, false
			}
			i += 2
			for i < len(w) && strings.HasPrefix(w[i].Value, "-") {
				v := w[i].Value
				switch {
				case v == "--":
					return i + 1, false
				case v == "-m" || v == "--module":
					return i + 1, true
				case uvRunValue[v]:
					i += 2
				case uvRunSwitch[v] || (strings.HasPrefix(v, "--") && strings.Contains(v, "=")):
					i++
				default:
					return -1, false
				}
			}
		default:
			return i, false
		}
	}
	return i, false
}

// uvRunValue are the options of `uv run` that take a value as the next
// word; uvRunSwitch those that take none.
var (
	uvRunValue  = map[string]bool{"--with": true, "--with-requirements": true, "--with-editable": true, "--python": true, "-p": true, "--env-file": true, "--extra": true, "--group": true, "--no-group": true, "--only-group": true, "--package": true, "--project": true, "--directory": true, "--index": true, "--index-url": true, "--extra-index-url": true}
	uvRunSwitch = map[string]bool{"--frozen": true, "--locked": true, "--no-sync": true, "--no-dev": true, "--all-extras": true, "--all-groups": true, "--no-project": true, "--isolated": true, "--active": true, "--no-env-file": true, "--offline": true, "-q": true, "--quiet": true, "-v": true, "--verbose": true, "--no-default-groups": true, "--only-dev": true, "--all-packages": true, "--exact": true, "--inexact": true}
)

func base(p string) string { return path.Base(strings.ReplaceAll(p, `\`, "/")) }

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// option reads the option whose flag is word j.
func (c *Command) option(t *table, j int) *Option {
	words := c.Argv.Words
	wd := words[j]
	v := wd.Value
	o := &Option{Flag: v, Word: j, ValueWord: j, Span: wd.Span, ValueSpan: wd.Span, Form: FormBare}
	var spec *optSpec
	var inline string
	hasInline := false
	if strings.HasPrefix(v, "--") {
		flag := v
		if k := strings.IndexByte(v, '='); k >= 0 {
			flag, inline, hasInline = v[:k], v[k+1:], true
		}
		o.Flag = flag
		spec = t.long[flag]
	} else {
		flag := v[:2]
		o.Flag = flag
		spec = t.short[flag]
		if len(v) > 2 {
			if v[2] == '=' {
				inline, hasInline = v[3:], true
			} else if spec != nil && spec.value {
				inline, hasInline = v[2:], true
				o.Form = FormAttached
			} else {
				// A cluster of short switches (`-Dq`) or an unknown flag.
				o.Flag = v
				spec = t.short[v]
			}
		}
	}
	o.Known = spec != nil
	o.Name = strings.TrimLeft(o.Flag, "-")
	if spec != nil {
		o.Name = spec.name
	}
	switch {
	case hasInline:
		if o.Form != FormAttached {
			o.Form = FormEquals
		}
		o.Value = inline
		o.ValueSpan = innerSpan(c.Argv.Doc, wd, len(v)-len(inline))
	case spec != nil && spec.value && j+1 < len(words):
		o.Form = FormSeparate
		o.ValueWord = j + 1
		o.Value = words[j+1].Value
		o.ValueSpan = words[j+1].Span
		o.Span.End = words[j+1].Span.End
	}
	return o
}

// innerSpan maps the part of a word's value from byte k on to source bytes,
// when the word is written as its value (optionally inside one pair of
// quotes); otherwise it returns the whole word.
func innerSpan(doc *parsers.Document, w parsers.Word, k int) parsers.Span {
	if doc == nil || w.Span.End > len(doc.Src) {
		return w.Span
	}
	text := doc.Text(w.Span)
	start := w.Span.Start
	if w.Quote != 0 && len(text) >= 2 && text[0] == w.Quote && text[len(text)-1] == w.Quote {
		text = text[1 : len(text)-1]
		start++
	}
	if text != w.Value {
		return w.Span
	}
	return parsers.Span{Start: start + k, End: start + len(text)}
}
