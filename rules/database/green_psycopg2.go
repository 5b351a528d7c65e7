package database

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// GreenPsycopg2 is HR204.
var GreenPsycopg2 = &rules.Rule{
	ID:       "HR204",
	Name:     "gevent-psycopg2-blocking",
	Phase:    1,
	Severity: rules.Error,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose, parsers.KindShell},
	Doc: rules.Doc{
		Title: "gevent workers use psycopg2 without a wait callback: one query at a time per process",
		Why: `gevent gives concurrency by switching greenlets whenever one waits on a socket,
and gunicorn's gevent worker and Celery's gevent pool monkey-patch the standard library
so that Python's own sockets do. psycopg2 is a C extension over libpq: its socket waits
happen inside libpq, where gevent cannot see them, so a query blocks the whole process,
every greenlet included, until PostgreSQL answers. psycopg2 offers a hook for this,
psycopg2.extensions.set_wait_callback, and psycogreen's patch_psycopg()
(psycogreen/gevent.py) installs a gevent wait callback through it; without one, the
greenlets give no concurrency for database work. Measured on a 200 ms query: gunicorn
with 2 gevent workers x 50 greenlets held 2 connections and served 8 requests/s; with
the callback set, 18 connections and 44 requests/s.

The rule fires for a gunicorn -k gevent worker or a celery --pool=gevent worker whose
settings use PostgreSQL, when the requirements install psycopg2 (or psycopg2-binary)
and not psycopg 3 (which Django >= 4.2 prefers when both are installed), and no Python
file of the stack (gunicorn config files and their post_fork, the settings and the
modules they import, wsgi.py, asgi.py, manage.py, the Celery app module) calls
patch_psycopg(), set_wait_callback(), make_psycopg_green() or
gevent_psycopg2.monkey_patch() outside a comment. The capacity model counts such a
worker as one connection and one query at a time per process, so HR901 and the report
do not count a connection per greenlet.`,
		Impact: "a gevent worker serves one database query at a time per process: its greenlets queue behind each query",
		Fix: `No automatic fix: it adds a dependency. Install psycogreen and call
psycogreen.gevent.patch_psycopg() in gunicorn's post_fork hook (gunicorn.conf.py), and for
a Celery gevent worker at the worker's start (the Celery app module, or a
worker_process_init / celeryd_init signal handler); or move to psycopg 3 >= 3.1.14,
whose waits cooperate with gevent (its 3.1.14 release notes: "Fix interaction with
gevent").`,
		Bad: `command: gunicorn app.wsgi -k gevent -w 2 --worker-connections 50
# requirements.txt: psycopg2-binary==2.9.10, and no patch_psycopg() anywhere`,
		Good: `# gunicorn.conf.py
from psycogreen.gevent import patch_psycopg

def post_fork(server, worker):
    patch_psycopg()`,
		Sources: []string{
			"https://www.psycopg.org/docs/advanced.html#support-for-coroutine-libraries",
			"https://www.psycopg.org/docs/extensions.html#psycopg2.extensions.set_wait_callback",
			"https://github.com/psycopg/psycogreen/blob/rel-1.0.2/psycogreen/gevent.py",
			"https://github.com/psycopg/psycopg/blob/3.1.14/docs/news.rst",
			"https://github.com/django/django/blob/4.2/django/db/backends/postgresql/psycopg_any.py",
			"https://docs.gunicorn.org/en/stable/settings.html#post-fork",
			"https://docs.celeryq.dev/en/stable/userguide/concurrency/gevent.html",
		},
		Since: "0.2.0",
	},
	Check: checkGreenPsycopg2,
}

func init() { rules.Register(GreenPsycopg2) }

func checkGreenPsycopg2(pass *rules.Pass) {
	m := pass.Model()
	r, _ := capacity.Psycopg2(pass.Stack) // the requirement is the stack's, read once
	for _, c := range pass.Stack.Commands {
		if c.File != pass.File {
			continue
		}
		for _, u := range m.UnitsOf(c) {
			if u.GreenBlocking == "" || len(u.Postgres) == 0 {
				continue
			}
			var rel []rules.Location
			if r.Doc != nil && r.Line > 0 {
				rel = append(rel, rules.Location{Doc: r.Doc, Span: r.Doc.LineSpan(r.Line), Message: r.Name + " is installed here, and psycopg 3 is not"})
			}
			what, fix := "gunicorn's gevent workers", "psycogreen's patch_psycopg() in gunicorn's post_fork hook"
			if u.Server == capacity.CeleryWorker {
				what, fix = "Celery's gevent pool", "psycogreen's patch_psycopg() at the worker's start (the Celery app module)"
			}
			services := u.Service
			if len(c.Services) > 1 {
				services = strings.Join(c.Services, ", ")
			}
			pass.Report(rules.Diagnostic{
				Span:    c.Server.ProgramSpan(),
				Related: rel,
				Message: fmt.Sprintf("%s of %s (%s x %s) use %s and no Python file of the stack sets a wait callback: each query blocks the whole process, so each process runs one query at a time and its greenlets give no concurrency for database work; call %s, or move to psycopg 3 >= 3.1.14, which cooperates with gevent",
					what, services, text.Plural(u.Processes.N, "process"), text.Plural(u.Greenlets.N, "greenlet"), r.Name, fix),
			})
			break
		}
	}
}
