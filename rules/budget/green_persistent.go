package budget

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// GreenPersistent is HR903.
var GreenPersistent = &rules.Rule{
	ID:       "HR903",
	Name:     "persistent-conns-green-pool",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "Persistent database connections where the settings run under ASGI, gunicorn's gevent/eventlet workers or a Celery gevent/eventlet pool",
		Why: `CONN_MAX_AGE > 0 (or None) keeps a connection per thread of execution open after its
request or task ends, to reuse it next time. That only works where the same thread
comes back: a WSGI worker thread. In a Celery gevent or eventlet pool every task runs
in a new greenlet, and under gunicorn's gevent or eventlet workers every request does
(gunicorn #996), and each greenlet gets its own connection (Django's connections are
greenlet-local once gevent patches threading); when the greenlet ends nobody closes
its connection, so connections pile up until PostgreSQL refuses new ones. Under ASGI
the same happens with the threads that run each request's sync ORM work: Django's docs
say "When using ASGI, persistent connections should be disabled".

HR201 (django-conn-reuse) already reports CONN_MAX_AGE > 0 when the web app is
served by ASGI, with a pool fix where the versions allow it; this rule defers to it
there and reports the cases HR201 cannot fix: gunicorn's gevent/eventlet workers, and a
Celery gevent/eventlet worker loading the same settings as a WSGI web app (both as the
capacity model counts greenlets). HR201, in turn, does not offer CONN_MAX_AGE = 600
as a safe fix on such a stack.`,
		Impact: "connections leak with every task until PostgreSQL's max_connections is reached and every process fails to connect",
		Fix: `No automatic fix: the web workers want their persistent connections. Give the
gevent/eventlet worker CONN_MAX_AGE = 0 (read it from the environment,
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", 600)), and set CONN_MAX_AGE=0 in that
service's environment), or use a pool (Django >= 5.1 with psycopg 3: OPTIONS["pool"]
with CONN_MAX_AGE = 0; or PgBouncer) for every process.`,
		Bad: `# celery -A app worker --pool=gevent --concurrency=100
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 600}}`,
		Good: `# celery -A app worker --pool=gevent --concurrency=100 (environment: CONN_MAX_AGE=0)
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql",
                         "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", 600))}}`,
		Sources: []string{
			"https://github.com/benoitc/gunicorn/issues/996",
			"https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections",
			"https://code.djangoproject.com/ticket/33497",
			"https://docs.celeryq.dev/en/stable/userguide/concurrency/gevent.html",
			"https://github.com/celery/celery/issues/4878",
		},
		Since: "0.1.0",
	},
	Check: checkGreenPersistent,
}

func init() { rules.Register(GreenPersistent) }

func checkGreenPersistent(pass *rules.Pass) {
	m := pass.File.Python
	if m == nil {
		return
	}
	if mode, _ := pass.Stack.WebMode(); mode == stack.ModeASGI {
		return // HR201 reports persistent connections under ASGI
	}
	// The gunicorn workers and Celery pools of the model that run
	// greenlets, once per command line.
	green := pass.Model().Green()
	if len(green) == 0 {
		return
	}
	for _, a := range dbAliases(m) {
		if e, _ := str(a.DB.Get("ENGINE")); strings.Contains(e, "sqlite") {
			continue
		}
		age, ok := persistent(a.DB.Get("CONN_MAX_AGE"))
		if !ok {
			continue
		}
		var rel []rules.Location
		var names []string
		for _, u := range green {
			c := u.Command
			label := c.Service
			if label == "" {
				label = strings.Join(c.Services, ", ")
			}
			if label == "" {
				label = c.File.Doc.Path
			}
			what := greenWhat(u)
			names = append(names, label+" runs "+what)
			rel = append(rel, rules.Location{Doc: c.File.Doc, Span: c.Server.Argv.Span, Message: fmt.Sprintf("%s runs %s with these settings", label, what)})
		}
		pass.Report(rules.Diagnostic{
			Span: a.DB.Get("CONN_MAX_AGE").Span(),
			Message: fmt.Sprintf(`DATABASES["%s"] CONN_MAX_AGE = %s keeps connections open, but %s: each greenlet opens its own connection and nobody closes it when the greenlet ends, so connections leak until PostgreSQL refuses new ones; give those processes CONN_MAX_AGE = 0 (from their environment) or pool outside the process (PgBouncer)`,
				a.Name, age, strings.Join(names, ", ")),
			Related: rel,
		})
	}
}

// persistent reports whether CONN_MAX_AGE keeps connections (a positive
// number or None, where the environment does not override it), and how
// it is written.
func persistent(o *python.Object) (string, bool) {
	if o == nil || o.Conditional {
		return "", false
	}
	l, ok := o.Value().Effective()
	if !ok {
		return "", false
	}
	if l.Kind == python.None {
		return "None", true
	}
	n, isNum := l.Number()
	if !isNum || n <= 0 || l.Kind == python.Bool {
		return "", false
	}
	return l.String(), true
}

// greenWhat names a unit's greenlets as its server calls them.
func greenWhat(u *capacity.Unit) string {
	class := strings.ToLower(u.WorkerClass)
	if u.Server == capacity.Gunicorn {
		return "gunicorn's " + class + " workers"
	}
	return "Celery's " + class + " pool"
}
