package budget

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
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

The rule adds up, for each PostgreSQL alias of DATABASES, what every web server,
Celery worker and beat of the stack can hold at once, times the service's
deploy.replicas, and compares it with the server's limit: max_connections from the
postgres service's command (-c max_connections=N), or PostgreSQL's default of 100
when the server is not part of the stack. With Django's pool (OPTIONS["pool"]) each
process holds between the pool's min_size and max_size (psycopg_pool's default is
4 and 4), whatever its concurrency. Under ASGI (Uvicorn workers, Daphne) each
request's sync ORM work may run on its own thread, so those processes count at least
one connection each and the total is a lower bound ("at least"). A postgres service
that mounts a postgresql.conf without setting max_connections on its command line is
not read, and the rule stays quiet for it; so it does for a HOST that is PgBouncer,
which multiplexes clients onto its own small pool.`,
		Impact: "the report's own stack (8 web workers + 100 gevent greenlets + 2 prefork + beat) needs more than PostgreSQL's 97 usable connections: the report's phase-1 changes would fail under load",
		Fix: `No automatic fix: which side to change is a capacity decision. Use a pool
(OPTIONS["pool"] with max_size, or PgBouncer in transaction mode), lower the Celery
gevent concurrency or give that worker its own small pool, or raise max_connections
on the server (each connection costs PostgreSQL a process and memory).`,
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
		},
		Since: "0.1.0",
	},
	Check: checkDBConnections,
}

func init() { rules.Register(DBConnections) }

// Defaults of PostgreSQL and psycopg_pool.
const (
	pgMaxConnections = 100
	pgReserved       = 3
	poolDefaultSize  = 4
)

func checkDBConnections(pass *rules.Pass) {
	m := pass.File.Python
	if m == nil || len(pass.Stack.Commands) == 0 {
		return
	}
	us := units(pass.Stack)
	for _, a := range dbAliases(m) {
		if !isPostgres(a.DB) {
			continue
		}
		host, _ := str(a.DB.Get("HOST"))
		if pass.Stack.IsPgBouncer(host) {
			continue
		}
		srv, ok := postgresServer(pass.Stack, host)
		if !ok {
			continue
		}
		pool, poolMin, poolMax := poolSize(a.DB)
		total, lower := 0, false
		var terms []string
		for _, u := range us {
			per := u.PerProc
			if pool != nil {
				per = min(max(per, poolMin), poolMax)
			}
			n := u.Procs * per
			total += n
			lower = lower || u.Lower
			terms = append(terms, term(u, pool != nil, per, n))
		}
		usable := srv.max - srv.reserved
		if total <= usable {
			continue
		}
		atLeast := ""
		if lower {
			atLeast = "at least "
		}
		limit := fmt.Sprintf("max_connections = %d", srv.max)
		if srv.loc == nil {
			limit += " (PostgreSQL's default"
			if host != "" {
				limit += "; " + host + " is not in this stack"
			}
			limit += ")"
		}
		msg := fmt.Sprintf(`DATABASES["%s"]: the stack can hold %s%d PostgreSQL connections at once, more than the %d that %s leaves (%d reserved for superusers): %s = %s%d; past the limit new connections fail with "too many clients already"`,
			a.Name, atLeast, total, usable, limit, srv.reserved, strings.Join(terms, " + "), atLeast, total)
		rel := related(us, func(u unit) string {
			per := u.PerProc
			if pool != nil {
				per = min(max(per, poolMin), poolMax)
			}
			return fmt.Sprintf("%s: %d connection%s (%s)", u.Label, u.Procs*per, map[bool]string{true: "s"}[u.Procs*per != 1], u.Why)
		})
		if srv.loc != nil {
			rel = append(rel, *srv.loc)
		}
		if pool != nil {
			rel = append(rel, rules.Location{Doc: pass.Doc(), Span: pool.Span(), Message: fmt.Sprintf("Django's pool: %d to %d connections per process", poolMin, poolMax)})
		}
		pass.Report(rules.Diagnostic{Span: keySpan(a.DB), Message: msg, Related: rel})
	}
}

// term renders one unit's share of the sum: "web 3 workers",
// "celery_ai 100 greenlets", "web 2 replicas x 8 workers x pool of 4".
func term(u unit, pooled bool, per, n int) string {
	var parts []string
	if u.Replicas > 1 {
		parts = append(parts, plural(u.Replicas, "replica"))
	}
	switch {
	case pooled:
		parts = append(parts, u.What, fmt.Sprintf("pool of %d", per))
	case u.Each != "" && u.What == "1 process":
		parts = append(parts, u.Each)
	case u.Each != "":
		parts = append(parts, u.What, u.Each)
	default:
		parts = append(parts, u.What)
	}
	s := u.Label + " " + strings.Join(parts, " x ")
	if len(parts) > 1 {
		s += fmt.Sprintf(" (%d)", n)
	}
	return s
}

// poolSize reads OPTIONS["pool"]: nil when there is none; min and max
// connections a process holds with it.
func poolSize(db *python.Object) (pool *python.Object, lo, hi int) {
	p := db.Get("OPTIONS").Get("pool")
	if p == nil {
		return nil, 0, 0
	}
	if !p.IsDict() {
		if l, ok := p.Value().Effective(); ok && !l.Truthy() {
			return nil, 0, 0
		}
		return p, poolDefaultSize, poolDefaultSize
	}
	lo = poolDefaultSize
	if n, ok := num(p.Get("min_size")); ok && n >= 0 {
		lo = int(n)
	}
	hi = lo
	if n, ok := num(p.Get("max_size")); ok && n >= float64(lo) {
		hi = int(n)
	}
	return p, lo, hi
}

// pgServer is the PostgreSQL server an alias connects to, as far as the
// stack says.
type pgServer struct {
	max, reserved int
	loc           *rules.Location // where the stack sets or implies them
}

// postgresServer finds the server of host: the compose service it names
// (or the only postgres service, when the host is not readable), with
// max_connections from its command line; PostgreSQL's defaults for a
// server outside the stack. ok is false when the limit is set somewhere
// headroom does not read.
func postgresServer(s *stack.Stack, host string) (pgServer, bool) {
	srv := pgServer{max: pgMaxConnections, reserved: pgReserved}
	sv := s.ComposeService(host)
	if sv.Service == nil && host == "" {
		var pgs []stack.Service
		for _, img := range []string{"postgres", "postgis"} {
			pgs = append(pgs, s.Images(img)...)
		}
		if len(pgs) == 1 {
			sv = pgs[0]
		}
	}
	if sv.Service == nil {
		return srv, true
	}
	argv := sv.Service.Command
	if v, span, found := stack.Option(argv, "max_connections"); found {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			return srv, false
		}
		srv.max = n
		srv.loc = &rules.Location{Doc: sv.File.Doc, Span: span, Message: fmt.Sprintf("%s: max_connections = %d", sv.Service.Name, n)}
	} else {
		if _, _, cf := stack.Option(argv, "config_file"); cf {
			return srv, false
		}
		for _, v := range stack.Volumes(sv.Service) {
			if strings.Contains(v, "postgresql.conf") || strings.Contains(v, "postgresql.auto.conf") {
				return srv, false
			}
		}
		srv.loc = &rules.Location{Doc: sv.File.Doc, Span: sv.Service.NameSpan, Message: fmt.Sprintf("%s: PostgreSQL's default max_connections = %d", sv.Service.Name, pgMaxConnections)}
	}
	if v, _, found := stack.Option(argv, "superuser_reserved_connections"); found {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			srv.reserved = n
		}
	}
	return srv, true
}
