package budget

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// DBConnections is HR901.
var DBConnections = &rules.Rule{
	ID:       "HR901",
	Name:     "db-connection-budget",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "The processes of the stack can hold more PostgreSQL connections than the server accepts",
		Why: `Every process that loads the Django settings opens its own database connections:
each gunicorn sync worker one, a gthread worker one per thread, a gevent worker or a
Celery gevent/eventlet pool one per greenlet, each Celery prefork child one, beat
one, and each compose replica all of its own again. PostgreSQL accepts
max_connections (100 by default) of which superuser_reserved_connections (3) are
kept for superusers; past that every new connection fails with "sorry, too many
clients already", usually at the worst moment: under load, when every worker and
greenlet is busy at once.

The rule reads headroom's capacity model (headroom model prints it): for each
PostgreSQL server the settings connect to, what every web server, Celery worker and
beat of the stack can hold at once, times the service's replicas (deploy.replicas or
scale), against the server's limit: max_connections from the postgres service's
command (-c max_connections=N, -N N, --max-connections=N), or PostgreSQL's default
of 100, assumed, when the server is not part of the stack (the message then names
the key that declares the real limit). .headroom.yaml's infrastructure: section wins
over both: infrastructure.postgres.<host>.max_connections and
superuser_reserved_connections for the server, infrastructure.services.<service>.replicas
for a service whose replicas Kubernetes, ECS or a PaaS sets. Worker counts are read
wherever gunicorn, uvicorn and Celery read them: flags, GUNICORN_CMD_ARGS, the
config file (./gunicorn.conf.py by default), WEB_CONCURRENCY and UVICORN_WORKERS from
compose environment, env_file or the Dockerfile's ENV. With Django's pool
(OPTIONS["pool"]) each process holds between the pool's min_size and max_size
(psycopg_pool's min_size defaults to 4 and max_size to min_size), as many as its
concurrency needs. Under ASGI (Uvicorn workers, Daphne) each request's sync ORM work
may run on its own thread, so those processes count at least one connection each and
the total is a lower bound ("at least"). A gevent or eventlet pool holds one
connection per greenlet: in the report's stack the gevent worker is the largest term,
and lowering its --concurrency is the lever this rule offers. A postgresql.conf the postgres
service bind-mounts is read for max_connections (the command line wins over it); one
that cannot be read (a named volume, a missing file, an include) leaves the limit
unknown and the rule quiet; so does a HOST that is PgBouncer, which multiplexes
clients onto its own small pool. Where a pool costs a unit something, the message says
so as headroom model does: a unit serving more requests, tasks or greenlets at once
than max_size waits up to the pool's timeout and then gets PoolTimeout
(psycopg_pool/pool.py, ConnectionPool.getconn), and Celery 5.6 closes Django's pool
after every task (celery/fixups/django.py, DjangoWorkerFixup._close_database calls
close_pool()), so a prefork child counts one new connection per task. When every term
is a pool's max_size with the process counts read, the total is a ceiling ("at most"):
a process holds min_size at rest and opens more only as its concurrency needs them.`,
		Impact: "the report's own stack (8 web workers + 100 gevent greenlets + 2 prefork + beat) needs more than PostgreSQL's 97 usable connections: the report's phase-1 changes would fail under load",
		Fix: `No automatic fix: which side to change is a capacity decision. Use a pool
(OPTIONS["pool"] with max_size, or PgBouncer in transaction mode), lower the Celery
gevent concurrency or give that worker its own small pool, or raise max_connections
on the server (each connection costs PostgreSQL a process and memory). Where a Celery
gevent or eventlet worker is a term of the sum, the message names the --concurrency
that would leave the rest of the stack within the limit; it is not written for you,
because Django's pool (HR201), applied in the same run, may make the room instead.`,
		Bad: `# celery -A app worker --pool=gevent --concurrency=100
# gunicorn app.wsgi -w 8
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}`,
		Good: `# celery -A app worker --pool=gevent --concurrency=100
# gunicorn app.wsgi -w 8
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db",
                         "OPTIONS": {"pool": {"min_size": 2, "max_size": 4}}}}`,
		Sources: []string{
			"https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS",
			"https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SUPERUSER-RESERVED-CONNECTIONS",
			"https://docs.djangoproject.com/en/stable/ref/databases/#connection-pool",
			"https://www.psycopg.org/psycopg3/docs/api/pool.html#psycopg_pool.ConnectionPool",
			"https://docs.gunicorn.org/en/stable/design.html",
			"https://docs.celeryq.dev/en/stable/userguide/concurrency/gevent.html",
			"https://github.com/psycopg/psycopg/blob/master/psycopg_pool/psycopg_pool/pool.py",
			"https://docs.gunicorn.org/en/stable/settings.html#workers",
			"https://github.com/celery/celery/blob/v5.6.0/celery/fixups/django.py",
		},
		Since: "0.1.0",
	},
	Check: checkDBConnections,
}

func init() { rules.Register(DBConnections) }

func checkDBConnections(pass *rules.Pass) {
	if pass.File.Python == nil || len(pass.Stack.Commands) == 0 {
		return
	}
	m := pass.Model()
	for _, b := range m.Budgets() {
		if b.Resource != capacity.Postgres || !b.Over() {
			continue
		}
		use := useIn(pass, m, b)
		if use == nil {
			continue
		}
		reportDB(pass, b, use)
	}
}

// useIn is the alias that puts connections on the budget's server in the
// settings of its first term, when those are the pass's module: where the
// finding is reported, once per budget.
func useIn(pass *rules.Pass, m *capacity.Model, b capacity.Budget) *capacity.PGUse {
	var srv *capacity.DBServer
	for _, s := range m.Postgres {
		if capacity.PostgresKey(s) == b.Key {
			srv = s
		}
	}
	if srv == nil {
		return nil
	}
	for _, t := range b.Terms {
		for _, p := range t.Unit.Postgres {
			if p.Mode == capacity.PGBouncer || p.Settings == nil || m.PostgresServer(p.Host) != srv {
				continue
			}
			if p.Settings.Module != pass.File {
				return nil // reported with the module that holds it
			}
			return p
		}
	}
	return nil
}

func reportDB(pass *rules.Pass, b capacity.Budget, use *capacity.PGUse) {
	atLeast := b.Bound()
	limit := b.LimitText()
	var terms []string
	for _, t := range b.Terms {
		terms = append(terms, t.Text)
	}
	msg := fmt.Sprintf(`DATABASES["%s"]: the stack can hold %s%d PostgreSQL connections at once, more than the %d usable (%s; %d reserved for superusers): %s = %s%d; past the limit new connections fail with "too many clients already"`,
		use.Alias, atLeast, b.Used, b.Usable(), limit, b.Reserved, strings.Join(terms, " + "), atLeast, b.Used)
	rel := related(b, func(t capacity.Term) string {
		return fmt.Sprintf("%s: %d connection%s (%s)", t.Unit.Service, t.N, map[bool]string{true: "s"}[t.N != 1], t.Why)
	})
	rel = append(rel, limitLocation(b)...)
	if use.Pool != nil {
		rel = append(rel, rules.Location{Doc: use.Pool.Doc(), Span: use.Pool.Span(), Message: fmt.Sprintf("Django's pool: %d to %d connections per process", use.Min, use.Max)})
	}
	d := rules.Diagnostic{Span: keySpan(use.DB), Message: msg, Related: rel}
	if doc := use.DB.Doc(); doc != nil && doc != pass.Doc() {
		d.Doc = doc
	}
	for _, t := range b.Terms {
		if t.Note != "" {
			d.Message += "; " + t.Note
		}
	}
	if lever := greenLever(b); lever != nil {
		d.Message += fmt.Sprintf("; %s's %s pool is the largest lever: --concurrency %d leaves the rest of the stack within the limit", lever.unit.Service, lever.unit.WorkerClass, lever.leaves)
	}
	pass.Report(d)
}

// lever is a Celery gevent/eventlet worker whose --concurrency, lowered
// to leaves, brings the budget within its limit.
type lever struct {
	unit   *capacity.Unit
	leaves int
}

// greenLever finds the largest green-pool term of the budget whose
// concurrency alone can bring the budget back within its limit: one
// container, no pool.
func greenLever(b capacity.Budget) *lever {
	var best *lever
	bestN := 0
	for _, t := range b.Terms {
		u := t.Unit
		if u.Server != capacity.CeleryWorker || u.Greenlets.N == 0 || u.Replicas.N != 1 || t.PerProcess != u.Greenlets.N || t.N <= bestN {
			continue
		}
		leaves := b.Usable() - (b.Used - t.N)
		if leaves <= 0 {
			continue
		}
		best, bestN = &lever{unit: u, leaves: leaves}, t.N
	}
	return best
}
