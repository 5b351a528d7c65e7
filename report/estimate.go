package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/internal/text"
)

// Assumptions are the inputs of the queueing model that no deployment
// file states: the mean time a request takes, and how much of it is spent
// holding a database connection and on a CPU.
type Assumptions struct {
	// RequestMS is the mean time a web request takes end to end, in
	// milliseconds.
	RequestMS float64 `json:"request_ms"`
	// DBMS is the part of it spent holding a PostgreSQL connection.
	DBMS float64 `json:"db_ms"`
	// CPUMS is the part of it spent running Python on a CPU (0: the CPU is
	// not judged).
	CPUMS float64 `json:"cpu_ms"`
	// CPUAssumed says CPUMS is headroom's default (DefaultCPUMS), not a
	// figure the team gave with --cpu-ms or report.cpu_ms: the CPU bound
	// says so and names the key.
	CPUAssumed bool `json:"cpu_ms_assumed,omitempty"`
	// WorkerMemoryMB is the memory one worker process is taken to use (the
	// capacity model's estimate, targets.worker_memory_mb).
	WorkerMemoryMB int `json:"worker_memory_mb"`
	// Infra is the infrastructure .headroom.yaml declares (nil: none);
	// the report shows each declared value where it uses it.
	Infra *capacity.Infrastructure `json:"-"`
}

// capacity is the options of the model the report is built on.
func (a Assumptions) capacity() capacity.Options {
	return capacity.Options{WorkerMemoryMB: a.WorkerMemoryMB, Infra: a.Infra}
}

// The documented defaults: a Django API request of 100 ms, 30% of it
// holding a database connection, and 10 ms of it on a CPU. They are
// placeholders for figures a team measures (nginx's $request_time, an
// APM's database and CPU spans); every number the report derives from
// them says so.
const (
	DefaultRequestMS = 100
	// DefaultDBShare is db_ms as a share of request_ms where none is
	// given: 30 ms of the default 100.
	DefaultDBShare = 0.3
	// DefaultCPUMS is measured by bench/cpu_ms/run.sh: under Debian's
	// gunicorn 20.1 (one sync worker) a Django 3.2 view returning 50 rows
	// of SQLite as JSON took 3.8-5.0 ms of worker CPU per request, the
	// same list read with an N+1 of 51 queries 20-25 ms (bench/cpu_ms/
	// README.md). 10 ms sits between a lean view and one doing per-row
	// work; --cpu-ms 0 still leaves the CPU unjudged.
	DefaultCPUMS = 10
)

// DefaultDBMS is the database time assumed for a request time.
func DefaultDBMS(requestMS float64) float64 { return DefaultDBShare * requestMS }

// DefaultAssumptions are the documented defaults.
func DefaultAssumptions() Assumptions {
	return Assumptions{RequestMS: DefaultRequestMS, DBMS: DefaultDBMS(DefaultRequestMS), CPUMS: DefaultCPUMS, CPUAssumed: true, WorkerMemoryMB: capacity.DefaultWorkerMemoryMB}
}

// Check reports assumptions the model cannot use.
func (a Assumptions) Check() error {
	switch {
	case !(a.RequestMS > 0) || math.IsInf(a.RequestMS, 0):
		return fmt.Errorf("request_ms must be a number of milliseconds above 0 (got %g)", a.RequestMS)
	case !(a.DBMS >= 0) || a.DBMS > a.RequestMS:
		return fmt.Errorf("db_ms must be between 0 and request_ms (%g), since the database time is part of the request (got %g)", a.RequestMS, a.DBMS)
	case !(a.CPUMS >= 0) || a.CPUMS > a.RequestMS:
		return fmt.Errorf("cpu_ms must be between 0 and request_ms (%g), since the CPU time is part of the request (got %g)", a.RequestMS, a.CPUMS)
	}
	return nil
}

// The resources a web service's throughput is bounded by.
const (
	Workers  = "workers"
	Database = "database"
	Redis    = "redis"
	CPU      = "cpu"
	// None says no bound could be read: an event loop with no database
	// and no CPU time assumed.
	None = "none"
)

// Bound is one resource's limit on a web service, in requests in flight
// and in requests per second (Little's law: throughput = in flight / mean
// time each holds the resource).
type Bound struct {
	Resource      string  `json:"resource"`
	InFlight      float64 `json:"in_flight"`
	ThroughputRPS float64 `json:"throughput_rps"`
	// AtLeast says a count the bound rests on is a floor (a worker count
	// headroom could not read), so the bound is too; AtMost that the bound
	// is a ceiling the service may not reach: the connections claimed
	// beside it are a floor (so its share may be less), or its processes
	// accept requests unevenly (LeastRPS).
	AtLeast bool `json:"at_least,omitempty"`
	AtMost  bool `json:"at_most,omitempty"`
	// LeastRPS is what the bound may fall to, where its processes serve
	// one request at a time on an event loop that accepts every
	// connection it is offered (an ASGI Django before 4.0): a process may
	// queue requests while another idles, down to one process's worth.
	LeastRPS float64 `json:"least_rps,omitempty"`
	// Why derives the bound in words, with the numbers.
	Why string `json:"why"`
}

// eventLoop says the unit's processes serve requests on an event loop, so
// no setting bounds the requests one holds at once. An ASGI unit whose
// Django runs sync views on one thread per process (capacity's
// SyncThread) is bounded like a sync worker: one request at a time.
func eventLoop(u *capacity.Unit) bool {
	return u.Web && u.Greenlets.N == 0 && (u.ASGI && u.SyncThread == "" || u.WorkerClass == "tornado")
}

// unevenAccept says the unit's processes serve one request at a time
// behind an event loop that accepts connections greedily (an ASGI server
// whose Django runs sync views on one thread per process): the kernel
// hands each new connection to whichever process accepts first, busy or
// not, so the requests in flight are not spread one per process.
func unevenAccept(u *capacity.Unit) bool {
	return u.Web && u.ASGI && u.SyncThread != "" && u.Greenlets.N == 0
}

// UnevenAcceptMeasured is what make validate-model-postgres measured of
// two such processes (internal/validate, uvicornworker-2-age0 and -age600,
// uvicorn-workers-2-age600; peak.py's busy share of each backend).
const UnevenAcceptMeasured = "measured with 16 clients on two processes (Django 3.2, uvicorn 0.17): one busy 99% of the time and the other 53 to 84%, 66 to 100% of the bound"

// bounds derives the limits on a web unit's throughput:
//
//   - workers: the requests its processes serve at once. A sync worker
//     serves 1, a gthread worker its threads, a gevent or eventlet worker
//     its worker_connections; replicas x processes x that. An event loop
//     (uvicorn, daphne, an ASGI worker class) has no such bound, except
//     on a Django that runs sync views on one thread per process (before
//     4.0): 1 request at a time per process, and then at most that, since
//     each process's loop accepts what it is offered while busy
//     (unevenAccept): as little as one process's worth.
//   - database: the PostgreSQL connections it can hold, each held for the
//     whole request (Django opens or takes the connection at the request's
//     first query and releases it at request_finished, not when the query
//     ends): throughput = connections / request_ms. A unit holding one
//     connection per worker thread or greenlet has exactly its share of the
//     budget; a unit whose ORM work runs on a thread per request (ASGI) may
//     take the room the budget has left beside the others' shares. When the
//     budget is over its limit, each unit gets connections in proportion to
//     what it claims (usable / claimed).
//   - database behind PgBouncer: the bouncer's server connections (its
//     term in the PostgreSQL budget), shared by its clients in proportion
//     to their client connections, each held db_ms in transaction or
//     statement mode (a server connection per transaction) and the whole
//     request in session mode.
//   - redis: the cache's pool cap per process, when a process serves more
//     requests at once than the cap (redis-py raises "Too many
//     connections" past it); scaled the same way when the Redis budget is
//     over its limit.
//   - cpu: the CPU time of a request: a Python process runs on one CPU at a
//     time (the GIL), so replicas x min(processes, the container's CPU
//     limit) CPUs, each carrying 1000 / cpu_ms requests a second.
func bounds(m *capacity.Model, u *capacity.Unit, a Assumptions) []Bound {
	reqS := a.RequestMS / 1000
	var out []Bound
	add := func(res string, inflight float64, atLeast bool, why string) {
		out = append(out, Bound{Resource: res, InFlight: inflight, ThroughputRPS: inflight / reqS, AtLeast: atLeast, Why: why})
	}
	atMost := func() { out[len(out)-1].AtLeast, out[len(out)-1].AtMost = false, true }
	reps := u.Replicas.N
	if !eventLoop(u) {
		slots := reps * u.Processes.N * u.Concurrency.N
		lower := u.Lower()
		add(Workers, float64(slots), lower, fmt.Sprintf("%s%s (%s), each serving %s at once (%s) = %d in flight, each held %s ms: %d / %s ms",
			replicasText(u), u.What(), u.WorkerClass, text.Plural(u.Concurrency.N, "request"), u.Concurrency.From.What, slots, num(a.RequestMS), slots, num(a.RequestMS)))
		if unevenAccept(u) && u.Processes.N > 1 {
			// The processes of one container share its socket; replicas
			// are balanced by what is in front of them, so the floor is
			// one process per replica.
			atMost()
			b := &out[len(out)-1]
			b.LeastRPS = float64(reps) / reqS
			b.Why += fmt.Sprintf("; at most: each process's event loop accepts every connection offered while its one thread serves one request, "+
				"so one process may queue requests while another idles, down to one process's worth per container (%s req/s); %s", sig(b.LeastRPS), UnevenAcceptMeasured)
		}
	}
	if a.DBMS > 0 {
		for _, b := range m.Budgets() {
			if b.Resource != capacity.Postgres || !b.LimitKnown {
				continue
			}
			t, ok := b.Term(u)
			if !ok {
				continue
			}
			conns, how := float64(t.N), fmt.Sprintf("%s holds %d of the %d PostgreSQL connections of %s", u.Service, t.N, b.Usable(), b.Label())
			if t.Lower && eventLoop(u) && !pooled(u) {
				room := max(b.Room(), 0)
				conns = float64(t.N + room)
				how = fmt.Sprintf("%s runs each request's ORM work on a thread of its own, so it may take %d connections of %s (its %d and the %d the budget has left)", u.Service, t.N+room, b.Label(), t.N, room)
			}
			if b.Used > b.Usable() && b.Used > 0 {
				share := float64(t.N) * float64(b.Usable()) / float64(b.Used)
				if share < conns {
					conns = share
					how = fmt.Sprintf("the stack claims %s%d connections of %s, over the %d usable: %s gets its share, %d x %d / %d = %s", b.Bound(), b.Used, b.Label(), b.Usable(), u.Service, t.N, b.Usable(), b.Used, sig(share))
				}
			}
			// A connection is held from the request's first query to its
			// end (django.db.close_old_connections on request_finished; a
			// pool connection is returned then too), not only for db_ms.
			inflight := conns
			add(Database, inflight, false, fmt.Sprintf("%s; each held for the whole %s ms request (Django keeps it from the first query to the end of the request): %s / %s ms", how, num(a.RequestMS), sig(conns), num(a.RequestMS)))
			if b.Lower && (conns != float64(t.N) || t.Lower) {
				atMost() // the others claim at least this much: less is left
			}
		}
	}
	if a.DBMS > 0 {
		for _, bn := range m.Bouncers {
			cb, ok := m.Budget(capacity.BouncerKey(bn))
			if !ok || cb.Used == 0 {
				continue
			}
			t, ok := cb.Term(u)
			if !ok || t.N == 0 {
				continue
			}
			// Behind PgBouncer the app's connections are PgBouncer's
			// clients; PostgreSQL's connections are PgBouncer's server
			// pool, shared by every client. In transaction (or statement)
			// mode PgBouncer takes a server connection for each
			// transaction and returns it at its end (pgbouncer.ini,
			// pool_mode), so with Django's autocommit a request holds one
			// only while its queries run: db_ms. In session mode the
			// server connection follows the client connection: the whole
			// request.
			server := m.ServerConns(bn)
			share := float64(server) * float64(t.N) / float64(cb.Used)
			hold, held := a.RequestMS, "for the whole "+num(a.RequestMS)+" ms request (pool_mode session: a server connection per client connection)"
			if bn.Transaction() {
				hold, held = a.DBMS, fmt.Sprintf("for the %s ms of queries only (pool_mode %s: PgBouncer returns the server connection at the end of each transaction)", num(a.DBMS), bn.Mode)
			}
			inflight := share * a.RequestMS / hold
			add(Database, inflight, t.Lower, fmt.Sprintf("PgBouncer %s holds %d server connections for %d client connections; %s has %d of them, a share of %s, each held %s: %s / %s ms",
				bn.Name, server, cb.Used, u.Service, t.N, sig(share), held, sig(share), num(hold)))
		}
	}
	for _, r := range u.Redis {
		if r.Kind != "cache" || r.Cap.N >= capacity.Unbounded || !r.Cap.Known {
			continue
		}
		if !eventLoop(u) && r.Cap.N >= u.Concurrency.N {
			continue // never more requests at once than the pool admits
		}
		conns := float64(reps * u.Processes.N * r.Cap.N)
		how := fmt.Sprintf("the %s cache's pool admits %d connections per process (%s): %s%s x %d = %s requests using the cache at once",
			r.Name, r.Cap.N, r.Cap.From.What, replicasText(u), u.What(), r.Cap.N, sig(conns))
		for _, b := range m.Budgets() {
			if b.Resource != capacity.Redis || !b.Over() {
				continue
			}
			if t, ok := b.Term(u); ok && t.N > 0 {
				share := float64(t.N) * float64(b.Usable()) / float64(b.Used)
				if share < conns {
					conns = share
					how = fmt.Sprintf("the stack claims %d Redis connections of %s, over its %d: %s gets %s", b.Used, b.Label(), b.Usable(), u.Service, sig(share))
				}
			}
		}
		add(Redis, conns, false, how)
	}
	if a.CPUMS > 0 {
		cpus := float64(u.Processes.N)
		how := fmt.Sprintf("%s, one CPU each at most (the GIL)", u.What())
		if u.CPUs != nil && u.CPUs.Value < cpus {
			cpus = u.CPUs.Value
			how = fmt.Sprintf("the CPU limit of %s (%s)", u.Service, u.CPUs.From.What)
		}
		cpus *= float64(reps)
		inflight := cpus * a.RequestMS / a.CPUMS
		add(CPU, inflight, !u.Processes.Known, fmt.Sprintf("%s%s: %s / %s ms of CPU per request%s", replicasText(u), how, cpusText(cpus), num(a.CPUMS), a.cpuAssumed()))
	}
	return out
}

// binding is the bound that saturates first: the lowest throughput, the
// earlier resource (workers, database, redis, cpu) on a tie.
func binding(bs []Bound) (Bound, bool) {
	if len(bs) == 0 {
		return Bound{}, false
	}
	best := bs[0]
	for _, b := range bs[1:] {
		if b.ThroughputRPS < best.ThroughputRPS-1e-9 {
			best = b
		}
	}
	return best, true
}

func pooled(u *capacity.Unit) bool {
	for _, p := range u.Postgres {
		if p.Mode == capacity.PGPool {
			return true
		}
	}
	return false
}

func replicasText(u *capacity.Unit) string {
	if u.Replicas.N == 1 && u.Replicas.Known {
		return ""
	}
	return text.Plural(u.Replicas.N, "replica") + " x "
}

// num renders a figure: whole numbers without decimals, others with one
// (two below 10).
func num(f float64) string {
	switch {
	case math.Abs(f-math.Round(f)) < 1e-9:
		return fmt.Sprintf("%d", int64(math.Round(f)))
	case math.Abs(f) < 10:
		return fmt.Sprintf("%.2f", f)
	}
	return fmt.Sprintf("%.1f", f)
}

// cpuAssumed names the key that replaces an assumed CPU time.
func (a Assumptions) cpuAssumed() string {
	if !a.CPUAssumed {
		return ""
	}
	return " (assumed: report.cpu_ms, or --cpu-ms)"
}

// sig renders a derived figure (a throughput, a share, a percentage) to
// two significant figures: 27.2 as 27, 9.07 as 9.1, 1066.7 as 1100. A
// whole number below 100 is printed as it is.
func sig(f float64) string {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return num(f)
	}
	if math.Abs(f-math.Round(f)) < 1e-9 && math.Abs(f) < 100 {
		return num(f)
	}
	mag := int(math.Floor(math.Log10(math.Abs(f))))
	r := math.Round(f/math.Pow10(mag-1)) * math.Pow10(mag-1)
	if math.Abs(r) >= math.Pow10(mag+1) {
		mag++ // 9.96 rounds to 10: one decimal fewer
	}
	return strconv.FormatFloat(r, 'f', max(0, 1-mag), 64)
}

func cpusText(f float64) string {
	if f == 1 {
		return "1 CPU"
	}
	return num(f) + " CPUs"
}
