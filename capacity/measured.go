package capacity

import "strings"

// Figure is what the model predicts of a unit and `make validate-model`
// can measure against a running server.
type Figure string

const (
	// Throughput is the requests per second a web unit serves at the
	// request time assumed (the report's throughput and requests in
	// flight).
	Throughput Figure = "throughput"
	// PostgresConnections is the PostgreSQL connections a unit holds.
	PostgresConnections Figure = "PostgreSQL connections"
	// RedisConnections is the Redis connections one client of a unit
	// holds.
	RedisConnections Figure = "Redis connections"
)

// Kinds of what a figure is predicted for, as CheckKind names them.
const (
	KindGunicornSync    = "gunicorn sync"
	KindGunicornGthread = "gunicorn gthread"
	KindGunicornGevent  = "gunicorn gevent"
	KindUvicornWorker   = "gunicorn UvicornWorker"
	KindUvicorn         = "uvicorn --workers"
	KindDaphne          = "daphne"
	KindCeleryPrefork   = "celery prefork"
	KindCeleryGevent    = "celery gevent"
	KindPgBouncer       = "PgBouncer"
	KindDjangoPool      = "Django's own pool"
)

// Versions measured by the cases of testdata/validate, as each README
// block of the model check records them.
const (
	measuredWeb    = "gunicorn 20.1, Django 3.2"
	measuredPG     = measuredWeb + ", psycopg2 2.9, PostgreSQL 15"
	measuredRedis  = measuredWeb + ", django-redis 5.2, redis-py 4.3, Redis 7.0"
	measuredCelery = "Celery 5.2, Django 3.2, psycopg2 2.9, PostgreSQL 15"
)

// Check is one kind of unit whose figure `make validate-model` measures:
// the cases of testdata/validate/<Suite>/configs run it at Versions.
type Check struct {
	Figure   Figure
	Kind     string
	Suite    string
	Versions string
	// Disagrees is where a case of the kind measured something other than
	// the model predicts (a known gap of internal/validate), "" where all
	// of its cases agree; the mark says so rather than "measured" alone.
	Disagrees string
	// PersistentOnly limits Disagrees to persistent connections
	// (CONN_MAX_AGE > 0): the kind's CONN_MAX_AGE 0 cases agree.
	PersistentOnly bool
}

// Suites are the folders of testdata/validate whose configs/* cases the
// model check runs ("." is testdata/validate itself), with the figures
// each measures. internal/validate's cases and this list agree: a test
// (capacity/measured_test.go) reads every case's deployment files and
// fails when a case's kind is missing from Measured, a Measured entry has
// no case, or a suite is missing here.
var Suites = map[string][]Figure{
	".":      {Throughput},                      // internal/validate/validate_test.go
	"pg":     {PostgresConnections, Throughput}, // internal/validate/postgres_test.go
	"redis":  {RedisConnections},                // internal/validate/redis_test.go
	"celery": {PostgresConnections},             // internal/validate/celery_test.go
}

// Measured is every kind of unit and figure the model check measures, at
// the versions it ran. A kind missing here is "not measured" in the
// report.
var Measured = []Check{
	{Throughput, KindGunicornSync, ".", measuredWeb, "", false},
	{Throughput, KindGunicornGthread, ".", measuredWeb, "", false},
	{PostgresConnections, KindGunicornSync, "pg", measuredPG, "", false},
	{PostgresConnections, KindGunicornGthread, "pg", measuredPG, "", false},
	{PostgresConnections, KindGunicornGevent, "pg", measuredPG + ", gevent 22.10", "", false},
	{PostgresConnections, KindUvicornWorker, "pg", measuredPG + ", uvicorn 0.17", "", false},
	{PostgresConnections, KindUvicorn, "pg", "uvicorn 0.17, Django 3.2, psycopg2 2.9, PostgreSQL 15", "", false},
	{PostgresConnections, KindDaphne, "pg", "daphne 4.0, asgiref 3.6, Django 3.2, psycopg2 2.9, PostgreSQL 15", "", false},
	// The pg suite's throughput, with each case's request and CPU time
	// measured with one client and given to the report.
	{Throughput, KindGunicornSync, "pg", measuredPG, "", false},
	{Throughput, KindGunicornGthread, "pg", measuredPG, "", false},
	{Throughput, KindGunicornGevent, "pg", measuredPG + ", gevent 22.10, psycogreen", "", false},
	// Two processes with sync views (Django 3.2) measure inside the
	// range the report gives them (report.UnevenAcceptMeasured).
	{Throughput, KindUvicornWorker, "pg", measuredPG + ", uvicorn 0.17", "", false},
	{Throughput, KindUvicorn, "pg", "uvicorn 0.17, Django 3.2, psycopg2 2.9, PostgreSQL 15", "", false},
	{Throughput, KindDaphne, "pg", "daphne 4.0, asgiref 3.6, Django 3.2, psycopg2 2.9, PostgreSQL 15", "", false},
	{PostgresConnections, KindCeleryPrefork, "celery", measuredCelery, "", false},
	// internal/validate/celery_test.go, celeryGaps: gevent-100-age600 and
	// gevent-100-psycogreen-age600.
	{PostgresConnections, KindCeleryGevent, "celery", measuredCelery + ", gevent 22.10",
		"with CONN_MAX_AGE > 0 the connections grow with the tasks served, past the model's count", true},
	// celery prefork-8-pgbouncer: PgBouncer's server connections,
	// min(default_pool_size, its clients) per database and user.
	{PostgresConnections, KindPgBouncer, "celery", measuredCelery + ", PgBouncer 1.18", "", false},
	{RedisConnections, KindGunicornSync + " cache", "redis", measuredRedis, "", false},
	{RedisConnections, KindGunicornGthread + " cache", "redis", measuredRedis, "", false},
	{RedisConnections, KindGunicornGevent + " cache", "redis", measuredRedis + ", gevent 22.10", "", false},
}

// notMeasured says why a kind cannot be measured here.
var notMeasured = map[string]string{
	KindDjangoPool: "Django 3.2 here",
}

// Trust is how far a figure of the model is checked against a running
// server.
type Trust struct {
	Figure   Figure `json:"figure"`
	Kind     string `json:"kind"`
	Measured bool   `json:"measured"`
	// Versions are those measured ("" when not measured).
	Versions string `json:"versions,omitempty"`
	// Disagrees is where the measurement contradicts the model (Check's
	// Disagrees).
	Disagrees string `json:"disagrees,omitempty"`
	// Text is "measured: <versions>[; the model disagrees: <where>]" or
	// "not measured[, why]".
	Text string `json:"text"`
}

// TrustOf is the model check's coverage of a figure of the kind.
func TrustOf(f Figure, kind string) Trust { return trustOf(f, kind, true) }

// trustOf is TrustOf for connections held persistently or not: a gap
// seen only with persistent connections is left out for the others.
func trustOf(f Figure, kind string, persistent bool) Trust {
	for _, c := range Measured {
		if c.Figure == f && c.Kind == kind {
			if c.PersistentOnly && !persistent {
				c.Disagrees = ""
			}
			text := "measured: " + c.Versions
			if c.Disagrees != "" {
				text += "; the model disagrees: " + c.Disagrees
			}
			return Trust{Figure: f, Kind: kind, Measured: true, Versions: c.Versions, Disagrees: c.Disagrees, Text: text}
		}
	}
	text := "not measured"
	if why := notMeasured[kind]; why != "" {
		text += ", " + why
	}
	return Trust{Figure: f, Kind: kind, Text: text}
}

// Kind names the unit's kind for the model check: the server and its
// worker class or pool.
func (u *Unit) Kind() string {
	switch u.Server {
	case Gunicorn:
		if u.WorkerClass == "uvicorn" {
			return KindUvicornWorker
		}
		return "gunicorn " + u.WorkerClass
	case Uvicorn:
		return KindUvicorn
	case Daphne:
		return KindDaphne
	case CeleryWorker:
		return "celery " + u.WorkerClass
	case CeleryBeat:
		return string(CeleryBeat)
	}
	return strings.TrimSpace(string(u.Server) + " " + strings.TrimPrefix(u.WorkerClass, string(u.Server)))
}

// ThroughputTrust is the check of the unit's throughput (web units).
func (u *Unit) ThroughputTrust() Trust { return TrustOf(Throughput, u.Kind()) }

// Trust is the check of the connections one process holds of the alias:
// PgBouncer and Django's own pool are kinds of their own, whatever serves
// the requests.
func (p *PGUse) Trust(u *Unit) Trust {
	switch p.Mode {
	case PGBouncer:
		return TrustOf(PostgresConnections, KindPgBouncer)
	case PGPool:
		return TrustOf(PostgresConnections, KindDjangoPool)
	}
	return trustOf(PostgresConnections, u.Kind(), p.Mode == PGPersistent)
}

// Trust is the check of the connections one process holds of the Redis
// client: the unit's kind and the client's ("gunicorn gthread cache").
func (r *RedisUse) Trust(u *Unit) Trust {
	return TrustOf(RedisConnections, u.Kind()+" "+r.Kind)
}

// WorkerRedisTrust is the check of the connections a celery worker's main
// process holds of its broker for itself (WorkerRedis).
func (u *Unit) WorkerRedisTrust() Trust {
	return TrustOf(RedisConnections, u.Kind()+" celery worker")
}
