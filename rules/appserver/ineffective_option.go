package appserver

import (
	"fmt"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// IneffectiveOption is HR104.
var IneffectiveOption = &rules.Rule{
	ID:       "HR104",
	Name:     "gunicorn-ineffective-option",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
	Fixable:  true,
	Doc: rules.Doc{
		Title: "gunicorn option that does nothing, or a worker class given twice",
		Why: `--worker-connections caps the concurrent clients of one worker, and gunicorn's
settings reference (22 and 23) says it only affects the gthread, eventlet and gevent
workers. gthread uses it as its per-worker connection cap (it stops accepting at
worker_connections open connections) and for its keep-alive cap
(worker_connections - threads idle connections are kept): a real limit there. With
the sync worker or Uvicorn workers it is ignored, so a value there (the capacity
report's --worker-connections 500 next to UvicornWorker) promises a limit that does
not exist. -k and --worker-class are two spellings of one option: given both, gunicorn
uses whichever comes last. The same value twice is noise; two different values are
an error, since the class that runs is not the one a reader of the first sees, and
the worker class decides the app's protocol (WSGI or ASGI).`,
		Impact: "none on capacity by itself: it removes settings that look like tuning but change nothing, so the real limits are the ones written",
		Fix: `Removes --worker-connections (flag and value) where the worker class is sync or a
Uvicorn worker (never under gthread, gevent or eventlet, nor where --threads > 1 makes
the sync class gthread), wherever it is set: the command line, GUNICORN_CMD_ARGS, or the
config file gunicorn reads (-c names any file, gunicorn.conf as well as gunicorn.conf.py;
the worker_connections line goes), and the later of two -k/--worker-class options naming the same class.
Safe: gunicorn ignores both already. Two options naming different classes are
reported as an error without a fix: which one the author meant is not knowable.
HR104 never adds --worker-connections. gunicorn 26.0.0 removed the eventlet worker (its
news for 26.0.0: "Eventlet worker removed"; SUPPORTED_WORKERS at 26.0.0 has no eventlet):
where the requirements pin gunicorn 26 or later, -k eventlet is an error without a fix
(the workers will not boot).`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker",
     "--worker-class", "uvicorn.workers.UvicornWorker", "--worker-connections", "500"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#worker-connections",
			"https://docs.gunicorn.org/en/stable/settings.html#worker-class",
			"https://docs.gunicorn.org/en/stable/design.html#async-workers",
			"https://docs.gunicorn.org/en/23.0.0/settings.html#worker-connections",
			"https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/workers/gthread.py",
			"https://github.com/benoitc/gunicorn/blob/26.0.0/gunicorn/workers/__init__.py (SUPPORTED_WORKERS without eventlet)",
			"https://github.com/benoitc/gunicorn/blob/26.1.0/docs/content/news.md (26.0.0: Eventlet worker removed)",
		},
		Since: "0.1.0",
	},
	Check: checkIneffective,
}

func init() { rules.Register(IneffectiveOption) }

func checkIneffective(pass *rules.Pass) {
	for _, c := range commands(pass) {
		if !runsGunicorn(c) {
			continue
		}
		srv := c.Server
		a := srv.Argv
		class := pass.Stack.WorkerClass(c)
		kind := servercmd.ClassKind(class)
		if v, ok := capacity.EventletRemoved(pass.Stack); ok && kind == "eventlet" {
			pass.Report(rules.Diagnostic{
				Severity: rules.Error,
				Span:     c.Server.ProgramSpan(),
				Message:  fmt.Sprintf("gunicorn runs the eventlet worker, which gunicorn 26.0.0 removed, and the requirements allow gunicorn %s: the workers will not boot; use gevent, gthread or an ASGI worker", v),
			})
		}
		if kind == "sync" || kind == "uvicorn" {
			for _, o := range srv.All("worker-connections") {
				pass.Report(rules.Diagnostic{
					Span:    o.Span,
					Message: fmt.Sprintf("%s only affects the gthread, eventlet and gevent workers; with %s it does nothing", o.Flag, class),
					Fixes:   safeFix("remove "+o.Flag, edit.ArgvRemoveOption(a, o)),
				})
			}
			if wc := pass.Stack.Setting(c, "worker-connections"); wc != nil && srv.Lookup("worker-connections") == nil {
				reportIneffectiveElsewhere(pass, wc, class)
			}
		}
		classes := srv.All("worker-class")
		for i := 1; i < len(classes); i++ {
			first, o := classes[0], classes[i]
			if o.Value == first.Value {
				pass.Report(rules.Diagnostic{
					Span:    o.Span,
					Message: fmt.Sprintf("%s %s repeats %s %s: they are the same option", o.Flag, o.Value, first.Flag, first.Value),
					Related: []rules.Location{{Doc: a.Doc, Span: first.Span, Message: "first given here"}},
					Fixes:   safeFix("remove the duplicate "+o.Flag, edit.ArgvRemoveOption(a, o)),
				})
				continue
			}
			pass.Report(rules.Diagnostic{
				Severity: rules.Error,
				Span:     o.ValueSpan,
				Message:  fmt.Sprintf("%s %s contradicts %s %s: they are the same option and gunicorn uses the last, %s", o.Flag, o.Value, first.Flag, first.Value, classes[len(classes)-1].Value),
				Related:  []rules.Location{{Doc: a.Doc, Span: first.ValueSpan, Message: "first given here"}},
			})
		}
	}
}

// reportIneffectiveElsewhere reports a worker_connections that the config
// file or GUNICORN_CMD_ARGS sets (the command line sets none) under a
// worker class that ignores it.
func reportIneffectiveElsewhere(pass *rules.Pass, wc *stack.Setting, class string) {
	if wc.Source != stack.SourceConfig && wc.Source != stack.SourceCmdArgs {
		return
	}
	doc, span := at(wc)
	d := rules.Diagnostic{Doc: doc, Span: span,
		Message: fmt.Sprintf("%s only affects the gthread, eventlet and gevent workers; with %s it does nothing", wc.Where(), class)}
	if wc.Source == stack.SourceCmdArgs {
		d.Fixes = safeFix("remove "+wc.Option.Flag+" from GUNICORN_CMD_ARGS", edit.ArgvRemoveOption(wc.Argv, wc.Option))
	} else if st := wc.Object.Stmt; st != nil && !wc.Object.Conditional && wc.Object.Entry == nil && len(st.Keys) == 0 {
		if e, ok := edit.PythonRemoveStatement(wc.Config.Doc, st); ok {
			d.Fixes = safeFix("remove worker_connections from "+wc.Config.Doc.Path, e)
		}
	}
	pass.Report(d)
}
