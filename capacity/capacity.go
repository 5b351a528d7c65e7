// Package capacity is the one capacity model of a deployment: every
// process unit the stack starts (service, replicas, server, worker class,
// processes, threads, greenlets, the concurrency one process serves), the
// PostgreSQL and Redis connections each process can hold, the CPU and
// memory limits of its container, and the limits of the servers the
// stack runs. From those it derives one Budget per resource (PostgreSQL
// and Redis per server, CPU and memory per service), which the budget
// rules report and fixes are planned against.
//
// It is a view over a *stack.Stack, computed once per stack (stack.Memo).
// Every count comes from the stack's one option resolver (Stack.Setting:
// flags, GUNICORN_CMD_ARGS, config files, WEB_CONCURRENCY, UVICORN_*) and
// its one environment resolver (Stack.Env), and every number says where
// it was read or that it is a default.
package capacity

import (
	"fmt"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// Source is where a number was read: a file and span, or a default.
type Source struct {
	// Doc and Span locate the value as written; Doc is nil for a default
	// or a number nobody sets.
	Doc  *parsers.Document
	Span parsers.Span
	// Setting, where set, covers the setting that holds the value: a dict
	// entry `'CONN_MAX_AGE': 0`, a keyword argument `conn_max_age=600`,
	// the statement `CONN_MAX_AGE = 600`; an editor's hover on its name
	// finds the value (report.ModelAt).
	Setting parsers.Span
	// What says how the number was read, in words: "--workers 3",
	// "WEB_CONCURRENCY=120 (env_file .env of service web)", "gunicorn's
	// default".
	What string
	// Default says no file sets the number: it is the program's default
	// (or an assumption, for a server outside the stack).
	Default bool
	// Declared says the value is declared in the infrastructure: section
	// of the configuration file ConfigPath, at line ConfigLine.
	Declared   bool
	ConfigPath string
	ConfigLine int
}

// Path is the file the number was read from ("" for a default).
func (s Source) Path() string {
	if s.Declared {
		return s.ConfigPath
	}
	if s.Doc == nil {
		return ""
	}
	return s.Doc.Path
}

// Line is the 1-based line the number was read from (0 for a default).
func (s Source) Line() int {
	if s.Declared {
		return s.ConfigLine
	}
	if s.Doc == nil {
		return 0
	}
	return s.Doc.Position(s.Span.Start).Line
}

// String is "path:line (what)", ".headroom.yaml:line (declared)", or
// "default (what)".
func (s Source) String() string {
	switch {
	case s.Declared:
		return fmt.Sprintf("%s:%d (declared)", s.ConfigPath, s.ConfigLine)
	case s.Doc != nil:
		return fmt.Sprintf("%s:%d (%s)", s.Doc.Path, s.Line(), s.What)
	case s.What != "":
		return "default (" + s.What + ")"
	}
	return "default"
}

func defaultSource(what string) Source { return Source{What: what, Default: true} }

// Count is a number of the model and where it was read.
type Count struct {
	N int
	// Known is false when the value is not read (a variable nothing sets,
	// the host's CPU count, an expression): N is then the least it can be
	// (or, for a count that follows the host's CPUs, the model's assumed
	// host size), and every total built on it is a lower bound.
	Known bool
	From  Source
}

func known(n int, from Source) Count { return Count{N: n, Known: true, From: from} }

// Server is the program a unit runs.
type Server string

const (
	Gunicorn     Server = "gunicorn"
	Uvicorn      Server = "uvicorn"
	Daphne       Server = "daphne"
	Granian      Server = "granian"
	UWSGI        Server = "uwsgi"
	CeleryWorker Server = "celery worker"
	CeleryBeat   Server = "celery beat"
	UnknownProg  Server = "unknown"
)

// Unit is one kind of process the deployment starts: a command as run by
// one compose service (or by itself, where no compose service runs it).
type Unit struct {
	// Service is the compose service that runs it, or the file holding the
	// command where none does.
	Service string
	// Compose is that compose service (zero when none).
	Compose stack.Service
	// Command is the command line (nil for celery beat, which the stack
	// does not model as a Command).
	Command *stack.Command
	Doc     *parsers.Document
	Argv    parsers.Argv
	Server  Server
	// WorkerClass is gunicorn's worker class kind ("sync", "gthread",
	// "gevent", "eventlet", "uvicorn", ...), celery's pool ("prefork",
	// "gevent", "eventlet", "threads", "solo"), or the server's name.
	WorkerClass string
	// Web says the unit serves HTTP; ASGI that it serves an ASGI app, so
	// each request's sync ORM work may run on a thread of its own.
	Web, ASGI bool
	// SyncThread says why the ASGI unit's processes run sync views on one
	// thread each, one request at a time (Django before 4.0; see
	// asgiSyncThread), "" when they do not or it is not known.
	SyncThread string
	Replicas   Count
	// Processes is the number of processes one container runs (an
	// embedded celery beat, -B, included).
	Processes Count
	// Threads and Greenlets are per process: 1 and 0 when the worker has
	// none.
	Threads, Greenlets Count
	// Concurrency is what one process serves at once: 1 for a sync worker
	// or prefork child, the threads of gthread, the greenlets of gevent.
	Concurrency Count
	// EmbedsBeat says a celery worker runs beat in its own container (-B).
	EmbedsBeat bool
	// WorkersFormula is, for gunicorn, the formula of the CPU count its
	// config computes the workers from (`multiprocessing.cpu_count() * 2 +
	// 1`), "" otherwise: the count follows the host's CPUs, which is the
	// model's host size (hostSizedWorkers).
	WorkersFormula string
	// HostSized says a celery worker's pool is sized by nothing the stack
	// sets (no --concurrency, --autoscale or CELERY_WORKER_CONCURRENCY):
	// Celery starts one per CPU the host shows, the model's host size.
	HostSized bool
	// NoBoot says why the unit's workers will not start (gunicorn's
	// eventlet worker on gunicorn >= 26, EventletRemoved), "" when they
	// do: such a unit runs 0 worker processes, so it adds nothing to the
	// budgets or the throughput.
	NoBoot string
	// GreenBlocking says why the unit's greenlets run one query at a time
	// per process (gevent with psycopg2 and no wait callback; see
	// GreenBlocking), "" when they do not.
	GreenBlocking string
	// Settings are the Django settings the processes load (nil when the
	// stack has none).
	Settings *stack.Settings
	// Postgres is what each process holds of each PostgreSQL alias.
	Postgres []*PGUse
	// Redis is what each process holds of each Redis client.
	Redis []*RedisUse
	// WorkerRedis are the connections a celery worker's main process holds
	// to its Redis broker WorkerRedisHost, once per container.
	WorkerRedis     []CeleryConn
	WorkerRedisHost string
	// CPUs and Memory are the container's limits (nil when unset).
	CPUs   *Limit
	Memory *Limit
}

// Containers is the number of containers (replicas) running the unit.
func (u *Unit) Containers() int { return u.Replicas.N }

// Total is the number of processes of the unit across its replicas.
func (u *Unit) Total() int { return u.Replicas.N * u.Processes.N }

// Lower says a count of the unit is not known, so its totals are floors.
func (u *Unit) Lower() bool { return !u.Replicas.Known || !u.Processes.Known || !u.Concurrency.Known }

// Key identifies the unit in the model: service and command line.
func (u *Unit) Key() string {
	if u.Doc == nil {
		// A unit no file starts (a PgBouncer outside the stack).
		return u.Service + "@"
	}
	return fmt.Sprintf("%s@%s:%d", u.Service, u.Doc.Path, u.Argv.Span.Start)
}

// Label is the unit's name in messages: its service.
func (u *Unit) Label() string { return u.Service }

// Limit is a container limit: CPUs, or memory in bytes.
type Limit struct {
	Value float64
	From  Source
}

// Model is the capacity model of one deployment.
type Model struct {
	Stack *stack.Stack
	Units []*Unit
	// Postgres and Redis are the servers the units connect to.
	Postgres []*DBServer
	Redis    []*RedisServer
	// Bouncers are the PgBouncers between units and PostgreSQL.
	Bouncers []*Bouncer
	// WorkerMemory is the per-worker memory estimate (bytes) the memory
	// budgets use.
	WorkerMemory int64
	// Infra is the declared infrastructure (nil when none is).
	Infra *Infrastructure

	redisPy RedisPyVersion
	budgets []Budget
}

// Options change what the model assumes.
type Options struct {
	// WorkerMemoryMB is the memory one worker process is taken to use, in
	// MiB (DefaultWorkerMemoryMB when 0).
	WorkerMemoryMB int
	// Infra is what .headroom.yaml declares of the infrastructure outside
	// the repository (nil: nothing).
	Infra *Infrastructure
}

// DefaultWorkerMemoryMB is the per-worker memory estimate: a Django
// process with its app loaded commonly takes 150-300 MiB; 256 keeps the
// estimate on the safe side.
const DefaultWorkerMemoryMB = 256

type memoKey struct {
	k    *byte
	opts Options
}

var modelKey byte

// Of returns the model of s with the default options.
func Of(s *stack.Stack) *Model { return With(s, Options{}) }

// With returns the model of s with the given options, computed once per
// stack and options.
func With(s *stack.Stack, opts Options) *Model {
	if opts.WorkerMemoryMB <= 0 {
		opts.WorkerMemoryMB = DefaultWorkerMemoryMB
	}
	return stack.Memo(s, memoKey{&modelKey, opts}, func() *Model { return build(s, opts) })
}

func build(s *stack.Stack, opts Options) *Model {
	m := &Model{Stack: s, WorkerMemory: int64(opts.WorkerMemoryMB) << 20, redisPy: redisPyVersion(s), Infra: opts.Infra}
	m.units()
	m.servers()
	m.budgets = m.computeBudgets()
	return m
}

// UnitsOf returns the units that run c (one per compose service).
func (m *Model) UnitsOf(c *stack.Command) []*Unit {
	var out []*Unit
	for _, u := range m.Units {
		if u.Command == c {
			out = append(out, u)
		}
	}
	return out
}

// Web returns the units that serve HTTP.
func (m *Model) Web() []*Unit {
	var out []*Unit
	for _, u := range m.Units {
		if u.Web {
			out = append(out, u)
		}
	}
	return out
}

// Green returns the units whose processes run greenlets (gunicorn's gevent
// and eventlet workers, Celery's gevent and eventlet pools), once per
// command line: each greenlet holds its own database connection, so
// persistent connections leak there.
func (m *Model) Green() []*Unit {
	var out []*Unit
	seen := map[*stack.Command]bool{}
	for _, u := range m.Units {
		if u.Greenlets.N > 0 && u.Command != nil && !seen[u.Command] {
			seen[u.Command] = true
			out = append(out, u)
		}
	}
	return out
}
