package database

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/requirements"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// ConnReuse is HR201.
var ConnReuse = &rules.Rule{
	ID:       "HR201",
	Name:     "django-conn-reuse",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "Database connections are not reused (CONN_MAX_AGE 0, no pool)",
		Why: `With CONN_MAX_AGE = 0 (Django's default) and no connection pool, Django opens a
new PostgreSQL connection at the start of every request and closes it at the end:
a TCP (often TLS) handshake, authentication and a backend process fork per request,
and a connection storm under load.

The right fix depends on how the app is served:

- WSGI (gunicorn sync, gthread, gevent workers on a *.wsgi app): each worker thread
  keeps its connection; CONN_MAX_AGE = 600 reuses it for ten minutes.
- ASGI (Uvicorn workers, gunicorn's own ASGI worker -k asgi from gunicorn 24.0.0,
  uvicorn or Daphne on an *.asgi app): Django runs each
  request's sync ORM work in a thread pool, and every thread keeps its own
  connection, so persistent connections leak until PostgreSQL refuses new ones.
  Django's docs say: "When using ASGI, persistent connections should be disabled.
  Instead, use your database backend's built-in connection pooling" (ticket #33497).
  On Django >= 5.1 with psycopg 3 that is OPTIONS["pool"] (psycopg_pool), which
  requires CONN_MAX_AGE = 0. On older Django or psycopg2 there is no settings-only
  fix: put PgBouncer in front, or upgrade.
  The thread per request, and so the leak, starts with Django 4.0, whose
  ASGIHandler.__call__ wraps each request in asgiref's ThreadSensitiveContext
  (ticket #32889). Django pinned (==) below 4.0 runs every sync view and the
  request_started / request_finished signals on asgiref's one
  single_thread_executor thread per process (django/core/handlers/asgi.py and
  base.py at 3.2.25, sync_to_async(thread_sensitive=True)): one connection per
  process, closed by request_finished on its own thread, so CONN_MAX_AGE > 0 does
  not leak there (make validate-model-postgres measured 2 connections for 2
  UvicornWorker processes and for uvicorn --workers 2 at CONN_MAX_AGE 600 on
  Django 3.2.25). There the rule is quiet for CONN_MAX_AGE > 0 and offers
  CONN_MAX_AGE = 600 as a safe fix for 0, unless a green worker loads the settings.

Green workers (gunicorn -k gevent or eventlet, a Celery gevent or eventlet pool):
Django keeps one connection per thread, and under gevent's monkey-patching every
greenlet is a thread to it. Greenlets come and go with requests, so each persistent
connection is left open until CONN_MAX_AGE expires and is never reused: the count
grows with traffic until PostgreSQL refuses new ones (gunicorn #996). There is no
safe CONN_MAX_AGE there: keep 0 and pool outside the process (PgBouncer). On such a
stack the WSGI fix is offered only as unsafe, with that explanation (HR903 flags
persistent connections already set).

A HOST that is a PgBouncer service already pools connections, so the rule is quiet
for it. SQLite aliases are skipped: opening a file costs little. So are aliases
whose ENGINE is a third-party backend headroom does not know (ClickHouse, MSSQL and
the like); wrappers of Django's own backends whose ENGINE names postgresql, postgis
or mysql (django_prometheus, PostGIS) count as those.`,
		Impact: "30-50% faster database responses (the capacity report's estimate for connection reuse)",
		Fix: `WSGI stack (proven by the gunicorn command): sets CONN_MAX_AGE = 600 where the
author wrote it: the dict literal, a DATABASES["default"]["CONN_MAX_AGE"] line, the
default of env.int("CONN_MAX_AGE", default=0) / os.environ.get(...), or
dj_database_url's conn_max_age. Safe, except under gunicorn's gevent or eventlet
workers or beside a Celery gevent or eventlet pool: unsafe there.

ASGI stack on Django >= 5.1 with psycopg 3 and psycopg_pool (psycopg[pool] or
psycopg-pool in the requirements): adds OPTIONS["pool"] with its sizing written out,
{"min_size": 2, "max_size": 4, "timeout": 10} (Django's documented example), instead
of psycopg_pool's implicit min_size 4 = max_size and 30 s timeout; max_size is
lowered where the processes loading these settings, each holding a full pool, would
not fit in the room the PostgreSQL server leaves (the capacity model's budget).
CONN_MAX_AGE stays 0. Safe only where every unit loading these settings fits the
pool: Django's pool is one psycopg_pool.ConnectionPool per process
(django/db/backends/postgresql/base.py, the pool property), a connection is held
from the first query to the end of the request or Celery task, and getconn() waits
timeout seconds, then raises PoolTimeout (psycopg_pool/pool.py). A unit serving more
at once than max_size (a Celery gevent pool of 100, gunicorn threads) makes the fix
unsafe, its message stating the trade ("celery_ai's 100 greenlets share 4
connections per process: waits up to 10 s, then PoolTimeout"); the capacity model
computes it (capacity.PoolTrade) and headroom model prints it under the unit. Celery
5.6.0 closes Django's pool around every task in every pool type
(celery/fixups/django.py, _close_database -> close_pool), failing waiters with
PoolClosed, so a green or threads Celery pool on 5.6.0 or an unpinned Celery makes
the fix unsafe; from 5.6.1 only prefork children close it, and the model counts
them one connection per task, with no reuse. psycopg-pool pinned below 3.2 has no
check argument, which Django passes: the fix is not offered there. Without
psycopg_pool in the requirements the same edit is offered as unsafe: Django fails
at start-up until it is installed.

ASGI otherwise: the finding explains the choices; CONN_MAX_AGE = 600 plus
CONN_HEALTH_CHECKS = True is offered only as an unsafe fix (--unsafe-fixes), since it
leaks connections under load.

Serving mode not proven (no gunicorn, uvicorn or daphne command found, or gunicorn
runs a worker class headroom does not know, which may speak either): the rule cannot
tell WSGI from ASGI, so CONN_MAX_AGE = 600 is offered only as an unsafe fix.
Django and psycopg versions come from the requirements files; unknown versions never
prove the pool fix.`,
		Bad: `# CMD ["gunicorn", "app.wsgi:application", "-w", "8"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,
    }
}`,
		Good: `# WSGI (gunicorn sync workers):
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 600,
    }
}

# ASGI (-k uvicorn.workers.UvicornWorker) on Django 5.1+ with psycopg[pool]:
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "pool": {"min_size": 2, "max_size": 4, "timeout": 10},
        },
    }
}`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections",
			"https://docs.djangoproject.com/en/stable/ref/databases/#connection-pool",
			"https://docs.djangoproject.com/en/stable/ref/settings/#conn-max-age",
			"https://code.djangoproject.com/ticket/33497",
			"https://code.djangoproject.com/ticket/32889",
			"https://github.com/django/django/blob/3.2.25/django/core/handlers/asgi.py (no ThreadSensitiveContext: sync code on asgiref's single_thread_executor)",
			"https://github.com/django/django/blob/4.0/django/core/handlers/asgi.py (ASGIHandler.__call__: async with ThreadSensitiveContext())",
			"https://github.com/django/asgiref/blob/3.6.0/asgiref/sync.py (SyncToAsync.__call__: thread_sensitive executors)",
			"https://www.psycopg.org/psycopg3/docs/advanced/pool.html",
			"https://www.psycopg.org/psycopg3/docs/api/pool.html#psycopg_pool.ConnectionPool",
			"https://github.com/django/django/blob/5.2/django/db/backends/postgresql/base.py",
			"https://github.com/psycopg/psycopg/blob/pool-3.2.0/psycopg_pool/psycopg_pool/pool.py",
			"https://github.com/celery/celery/blob/v5.6.0/celery/fixups/django.py",
			"https://github.com/celery/celery/blob/v5.6.1/celery/fixups/django.py",
			"https://github.com/jazzband/dj-database-url#usage",
			"https://github.com/benoitc/gunicorn/issues/996",
			"https://docs.gunicorn.org/en/stable/design.html#async-workers",
			"https://github.com/benoitc/gunicorn/blob/24.0.0/gunicorn/workers/__init__.py (SUPPORTED_WORKERS: \"asgi\": gunicorn.workers.gasgi.ASGIWorker)",
		},
		Since: "0.1.0",
	},
	Check: checkConnReuse,
}

func init() { rules.Register(ConnReuse) }

// poolProof says whether the stack proves Django's native pool works:
// Django >= 5.1 and psycopg 3 from the requirements; lib is false when
// psycopg_pool itself is not listed.
func poolProof(s *stack.Stack) (ok, lib bool, why string) {
	dj, found := s.Version("django")
	switch {
	case !found || !dj.Version.Known():
		return false, false, "the Django version is not pinned in the requirements"
	case !dj.Version.AtLeast(5, 1):
		return false, false, "Django " + dj.Version.String() + " has no connection pool (5.1 added it)"
	}
	pg, found := s.Version("psycopg")
	if !found {
		if _, v2 := s.Version("psycopg2"); v2 {
			return false, false, "Django's pool needs psycopg 3, and the requirements install psycopg2"
		}
		if _, v2 := s.Version("psycopg2-binary"); v2 {
			return false, false, "Django's pool needs psycopg 3, and the requirements install psycopg2-binary"
		}
		return false, false, "psycopg 3 is not in the requirements"
	}
	if pg.Version.Known() && !pg.Version.AtLeast(3) {
		return false, false, "Django's pool needs psycopg 3"
	}
	pp, lib := s.Version("psycopg-pool")
	if lib && pp.Version.Known() && !pp.Version.AtLeast(3, 2) {
		// psycopg_pool/pool.py: ConnectionPool's check argument, which
		// Django always passes, came with 3.2.
		return false, false, "psycopg-pool " + pp.Version.String() + " has no check argument, which Django's pool passes (psycopg_pool 3.2 added it): every first query would fail with TypeError"
	}
	if !lib && pg.Doc != nil && pg.Line > 0 {
		lib = poolExtra.MatchString(pg.Doc.Text(pg.Doc.LineSpan(pg.Line)))
	}
	return true, lib, ""
}

// poolTrades is what the pool the fix writes would cost each unit that
// loads the alias's settings (capacity.PoolTrade: a unit serving more at
// once than max_size, a Celery 5.6.0 green or threads pool).
func poolTrades(m *capacity.Model, a alias, max int) []string {
	s := m.Stack
	var out []string
	for _, u := range m.Units {
		if u.Settings == nil || u.Settings.Module != a.St.Module {
			continue
		}
		if t := capacity.PoolTrade(s, u, max, poolTimeout); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func versionOf(s *stack.Stack, pkg string) requirements.Version {
	r, _ := s.Version(pkg)
	return r.Version
}

func checkConnReuse(pass *rules.Pass) {
	if pass.File.Python == nil {
		return
	}
	mode, cmd := pass.Stack.WebMode()
	var related []rules.Location
	if cmd != nil {
		related = []rules.Location{{Doc: cmd.File.Doc, Span: cmd.Server.Argv.Span, Message: fmt.Sprintf("served by %s (%s)", cmd.Server.Program, mode)}}
	}
	for _, a := range aliases(pass) {
		eng := engine(a)
		if !serverEngine(eng) || pass.Stack.IsPgBouncer(host(a)) {
			continue
		}
		age, persistent, ok := connMaxAge(a)
		if !ok || pooled(a) {
			continue
		}
		path := []string{"DATABASES", a.Name}
		span, at := keySpan(a.DB), a.DB.Doc()
		state := "not set (Django's default is 0)"
		rel := related
		if age != nil {
			span, at = age.Span(), age.Doc()
			state = "0"
			v := a.St.Value(age)
			switch {
			case v.Env != nil:
				state = fmt.Sprintf("%s (%s)", v.Lit, v.Where())
				rel = append(append([]rules.Location(nil), related...), rules.Location{Doc: v.Env.File.Doc, Span: v.Env.Span, Message: "$" + v.Var + " is set here"})
			case age.Value().Kind == python.EnvDefault:
				state = fmt.Sprintf("0 unless $%s is set", v.Var)
			}
		}
		if persistent {
			if mode == stack.ModeASGI && asgiOneThread(pass.Model()) == "" {
				reportASGIPersistent(pass, a, age, eng, related)
			}
			continue
		}
		d := rules.Diagnostic{Span: span, Related: rel}
		target := strconv.Itoa(pass.Targets.ConnMaxAge)
		wsgiFix := func(app rules.Applicability, msg string, healthChecks bool) []rules.Fix {
			entries := []edit.PyEntry{edit.PyKV("CONN_MAX_AGE", edit.PySrc(target))}
			if healthChecks && !healthChecksOn(a) {
				entries = append(entries, healthChecksEntry(pass.Stack))
			}
			edits, err := set(a, path, entries...)
			return fix(msg, app, edits, err)
		}
		switch mode {
		case stack.ModeWSGI:
			d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s: every request opens a new database connection; under WSGI workers set CONN_MAX_AGE = %s to reuse it", where(a), state, target)
			d.Fixes = wsgiFix(rules.Safe, "set CONN_MAX_AGE = "+target, false)
			var web, celery []*stack.Command
			for _, u := range pass.Model().Green() {
				if u.Server == capacity.Gunicorn {
					web = append(web, u.Command)
				} else {
					celery = append(celery, u.Command)
				}
			}
			if len(web) > 0 {
				// Every greenlet keeps its own persistent connection, and
				// greenlets come and go with requests: no CONN_MAX_AGE is safe.
				class := servercmd.ClassKind(pass.Stack.WorkerClass(web[0]))
				d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s: every request opens a new database connection, but gunicorn runs %s workers, where each greenlet keeps its own persistent connection and CONN_MAX_AGE > 0 leaks them until PostgreSQL refuses new ones (gunicorn #996); keep it at 0 and pool outside the process (PgBouncer)", where(a), state, class)
				d.Related = append(d.Related, rules.Location{Doc: web[0].File.Doc, Span: web[0].Server.Argv.Span, Message: "gunicorn " + class + " workers"})
				d.Fixes = wsgiFix(rules.Unsafe, "set CONN_MAX_AGE = "+target+" (leaks one connection per greenlet under gunicorn's "+class+" workers)", false)
			} else if green := celery; len(green) > 0 {
				// The same settings run a Celery gevent/eventlet pool, where
				// persistent connections leak (HR903 would flag this fix).
				d.Message += fmt.Sprintf(" for the web workers only: a Celery %s pool loads these settings too, and leaks persistent connections (HR903), so keep it at 0 there", green[0].Server.WorkerClass())
				d.Related = append(d.Related, rules.Location{Doc: green[0].File.Doc, Span: green[0].Server.Argv.Span, Message: "Celery " + green[0].Server.WorkerClass() + " pool"})
				d.Fixes = wsgiFix(rules.Unsafe, "set CONN_MAX_AGE = "+target+" (leaks connections in the Celery "+green[0].Server.WorkerClass()+" pool)", false)
			}
		case stack.ModeASGI:
			proven, lib, why := poolProof(pass.Stack)
			if proven && eng == "postgresql" {
				pool, maxSize, sizedBy := poolSizing(pass.Model(), a)
				edits, err := set(a, append(path, "OPTIONS"), edit.PyKV("pool", pool))
				sizing := "a pool sized explicitly (max_size from " + sizedBy + ")"
				trades := poolTrades(pass.Model(), a, maxSize)
				switch {
				case lib && len(trades) == 0:
					d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s and no pool: every request opens a new database connection; under ASGI persistent connections leak, so use Django's pool (OPTIONS[\"pool\"], Django %s, psycopg 3)", where(a), state, versionOf(pass.Stack, "django"))
					d.Fixes = fix(`add OPTIONS["pool"], `+sizing+` (CONN_MAX_AGE stays 0)`, rules.Safe, edits, err)
				case lib:
					d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s and no pool: every request opens a new database connection; Django's pool (OPTIONS[\"pool\"]) would fix it for the ASGI app, but it is one pool per process for every unit loading these settings: %s", where(a), state, strings.Join(trades, "; "))
					d.Fixes = fix(`add OPTIONS["pool"], `+sizing+` (`+strings.Join(trades, "; ")+`)`, rules.Unsafe, edits, err)
				default:
					d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s and no pool: every request opens a new database connection; under ASGI use Django's pool (OPTIONS[\"pool\"]), which needs psycopg[pool] (psycopg_pool) in the requirements", where(a), state)
					d.Fixes = fix(`add OPTIONS["pool"], `+sizing+`; install psycopg[pool] first`, rules.Unsafe, edits, err)
				}
				break
			}
			if one := asgiOneThread(pass.Model()); one != "" && len(pass.Model().Green()) == 0 {
				// No leak before Django 4.0: the one thread keeps one
				// connection, closed by request_finished on that thread.
				d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s: every request opens a new database connection; %s, which keeps its connection between requests (the per-thread leak of Django ticket #33497 starts with 4.0): set CONN_MAX_AGE = %s to reuse it", where(a), state, one, target)
				d.Fixes = wsgiFix(rules.Safe, "set CONN_MAX_AGE = "+target+" (one connection per process on this Django)", false)
				break
			}
			if eng != "postgresql" && why == "" {
				why = "Django's pool is PostgreSQL-only"
			}
			d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s: every request opens a new database connection, but under ASGI CONN_MAX_AGE > 0 leaks one connection per thread (Django ticket #33497) and %s; put PgBouncer in front, or upgrade to Django >= 5.1 with psycopg 3 and use OPTIONS[\"pool\"]", where(a), state, why)
			d.Fixes = wsgiFix(rules.Unsafe, "set CONN_MAX_AGE = "+target+" and CONN_HEALTH_CHECKS = True (leaks connections under ASGI)", true)
		default:
			d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s: every request opens a new database connection; CONN_MAX_AGE = 600 is right under WSGI, but no gunicorn, uvicorn or daphne command shows how the app is served (under ASGI it leaks connections)", where(a), state)
			if cmd != nil {
				d.Message = fmt.Sprintf("%s CONN_MAX_AGE is %s: every request opens a new database connection; CONN_MAX_AGE = 600 is right under WSGI, but gunicorn runs the worker class %s, which headroom does not know, so whether the app is served by WSGI or ASGI is not known (under ASGI it leaks connections)", where(a), state, pass.Stack.WorkerClass(cmd))
			}
			d.Fixes = wsgiFix(rules.Unsafe, "set CONN_MAX_AGE = "+target+" (only if the app is served by WSGI)", false)
		}
		report(pass, a, d, at, age)
	}
}

// asgiOneThread is why the model's ASGI web units run sync views on one
// thread per process (capacity.Unit.SyncThread: Django pinned below 4.0),
// so CONN_MAX_AGE > 0 keeps one connection per process and does not leak;
// "" when some ASGI unit may give each request its own thread.
func asgiOneThread(m *capacity.Model) string {
	why := ""
	for _, u := range m.Web() {
		if !u.ASGI {
			continue
		}
		if u.SyncThread == "" {
			return ""
		}
		why = u.SyncThread
	}
	return why
}

// reportASGIPersistent flags CONN_MAX_AGE > 0 under ASGI: the leak the
// Django docs warn about.
func reportASGIPersistent(pass *rules.Pass, a alias, age *python.Object, eng string, related []rules.Location) {
	span, at := keySpan(a.DB), a.DB.Doc()
	if age != nil {
		span, at = age.Span(), age.Doc()
	}
	d := rules.Diagnostic{
		Span:    span,
		Related: related,
		Message: fmt.Sprintf("%s has persistent connections under ASGI: each thread running sync ORM work keeps its own connection, which leaks until PostgreSQL refuses new ones (Django ticket #33497); use a pool (OPTIONS[\"pool\"] on Django >= 5.1 with psycopg 3, or PgBouncer) with CONN_MAX_AGE = 0", where(a)),
	}
	if proven, lib, _ := poolProof(pass.Stack); proven && lib && eng == "postgresql" {
		pool, _, _ := poolSizing(pass.Model(), a)
		edits, err := set(a, []string{"DATABASES", a.Name, "OPTIONS"}, edit.PyKV("pool", pool))
		if err == nil && age != nil {
			more, err2 := set(a, []string{"DATABASES", a.Name}, edit.PyKV("CONN_MAX_AGE", edit.PySrc("0")))
			edits, err = append(edits, more...), err2
		}
		d.Fixes = fix(`set CONN_MAX_AGE = 0 and add OPTIONS["pool"], sized explicitly`, rules.Unsafe, edits, err)
	}
	report(pass, a, d, at, age)
}

// healthChecksOn reports whether CONN_HEALTH_CHECKS is set to a true
// literal (or computed: not headroom's to override).
func healthChecksOn(a alias) bool {
	hc := a.DB.Get("CONN_HEALTH_CHECKS")
	if hc == nil {
		return false
	}
	v := a.St.Value(hc)
	return !v.Known || v.Lit.Truthy()
}
