package capacity

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/internal/text"
)

// Resource is what a budget counts.
type Resource string

const (
	Postgres Resource = "postgres" // connections per PostgreSQL server
	Redis    Resource = "redis"    // connections per Redis server
	CPU      Resource = "cpu"      // worker processes per container against 2 x cpus + 1
	Memory   Resource = "memory"   // MiB per container: processes x the per-worker estimate
	// PgBouncerClients: client connections per PgBouncer against its
	// max_client_conn.
	PgBouncerClients Resource = "pgbouncer"
)

// Budget is one resource's use against its limit.
type Budget struct {
	// Key identifies the budget across runs of the model (before and after
	// fixes): "postgres:db", "redis:redis", "cpu:web", "memory:web".
	Key      string
	Resource Resource
	// Name is the server (compose service or host) or the service whose
	// container the budget is about.
	Name string
	// Used is what the units can hold at once; Lower says it is a floor
	// (a count headroom could not read, ASGI's per-request threads).
	Used  int
	Lower bool
	// Leak says some term grows with the work served (PGUse.Leak): Used is
	// a floor that the leak raises toward the limit.
	Leak bool
	// Ceiling says every term is a pool's max_size with the counts of
	// processes known: the total is what the pools admit at most, not a
	// floor (a process holds min_size at rest and grows to max_size).
	Ceiling bool
	// Limit is the server's or container's limit, Reserved what of it the
	// units cannot use (PostgreSQL's superuser connections).
	Limit, Reserved int
	// LimitKnown is false when the limit is set where headroom does not
	// read it; Assumed when it is a default taken on trust for a server
	// outside the stack.
	LimitKnown, Assumed bool
	LimitFrom           Source
	// LimitName is the server setting the limit is ("max_connections",
	// "maxclients"; "" for a container's), DeclareKey the key of
	// .headroom.yaml that declares it.
	LimitName, DeclareKey string
	// Unit names what Used and Limit count: "connections", "processes",
	// "MiB".
	Unit  string
	Terms []Term
}

// Term is one unit's share of a budget.
type Term struct {
	Unit *Unit
	// N is the unit's share; PerProcess what one process counts.
	N, PerProcess int
	Lower         bool
	// Text renders the share: "web 3 workers", "celery_ai 100 greenlets",
	// "web 2 replicas x 8 workers x pool of 4 (64)".
	Text string
	// Why says how the share was read, for related locations.
	Why string
	// Note is what the unit's pool costs it (PGUse.Note: PoolTrade, Celery
	// closing the pool), "" when nothing.
	Note string
	// Leak says why the share grows with the work served (PGUse.Leak), ""
	// when it is bounded.
	Leak string
}

// Bound is "at least " where Used is a floor, "at most " where it is the
// pools' ceiling, else "".
func (b Budget) Bound() string {
	switch {
	case b.Lower:
		return "at least "
	case b.Ceiling:
		return "at most "
	}
	return ""
}

// Usable is what the units may use: Limit less Reserved.
func (b Budget) Usable() int { return b.Limit - b.Reserved }

// Room is what the budget has left: Usable less Used (negative when
// over).
func (b Budget) Room() int { return b.Usable() - b.Used }

// Term returns the share of the unit (matched by Key, so a unit of another
// model of the same stack will do).
func (b Budget) Term(u *Unit) (Term, bool) {
	for _, t := range b.Terms {
		if t.Unit == u || t.Unit.Key() == u.Key() {
			return t, true
		}
	}
	return Term{}, false
}

// Over reports whether Used exceeds a known limit.
// LimitText is a server's limit in words, with where it comes from:
// "max_connections = 500, declared at .headroom.yaml:4", or, for a default
// taken on trust, that it is assumed and the key of .headroom.yaml that
// replaces it.
func (b Budget) LimitText() string {
	out := fmt.Sprintf("%s = %d", b.LimitName, b.Limit)
	switch {
	case b.LimitFrom.Declared:
		out += fmt.Sprintf(", declared at %s:%d", b.LimitFrom.ConfigPath, b.LimitFrom.ConfigLine)
	case b.Assumed:
		server := map[Resource]string{Postgres: "PostgreSQL", Redis: "Redis"}[b.Resource]
		where := "as " + b.Name + " is not in this stack"
		if b.Name == "" {
			where = "as the settings name no host and the stack runs no " + server
		}
		out += fmt.Sprintf(", assumed: %s's default, %s; declare it: %s", server, where, b.DeclareKey)
	}
	return out
}

// Label is the budget's server or service in messages: its name, else
// what it is ("the database" where the settings name no host and the
// stack runs no PostgreSQL).
func (b Budget) Label() string {
	if b.Name != "" {
		return b.Name
	}
	switch b.Resource {
	case Postgres:
		return "the database"
	case Redis:
		return "the Redis server"
	}
	return "the service"
}

func (b Budget) Over() bool { return b.LimitKnown && b.Used > b.Usable() }

// Worse reports whether after uses more of the same budget than before,
// or is over its limit where before was not.
func Worse(before, after Budget) bool {
	if after.Over() && !before.Over() {
		return true
	}
	return after.Used > before.Used
}

// Budgets returns every budget of the model, sorted by Key. The slice is
// shared: callers must not modify it.
func (m *Model) Budgets() []Budget { return m.budgets }

// Budget returns the budget with the key.
func (m *Model) Budget(key string) (Budget, bool) {
	i := sort.Search(len(m.budgets), func(i int) bool { return m.budgets[i].Key >= key })
	if i < len(m.budgets) && m.budgets[i].Key == key {
		return m.budgets[i], true
	}
	return Budget{}, false
}

// Index maps budgets by key, to compare two models.
func Index(bs []Budget) map[string]Budget {
	out := make(map[string]Budget, len(bs))
	for _, b := range bs {
		out[b.Key] = b
	}
	return out
}

// PostgresKey and RedisKey are the keys of a server's budget.
func PostgresKey(s *DBServer) string  { return "postgres:" + s.Name }
func RedisKey(s *RedisServer) string  { return "redis:" + s.Name }
func CPUKey(service string) string    { return "cpu:" + service }
func MemoryKey(service string) string { return "memory:" + service }

func (m *Model) computeBudgets() []Budget {
	var out []Budget
	for _, srv := range m.Postgres {
		b := Budget{Key: PostgresKey(srv), Resource: Postgres, Name: srv.Name, Unit: "connections",
			Limit: srv.MaxConnections.N, Reserved: srv.Reserved.N, LimitKnown: !srv.Unread, Assumed: srv.Assumed,
			LimitFrom: srv.MaxConnections.From, LimitName: "max_connections", DeclareKey: srv.DeclareKey()}
		for _, u := range m.Units {
			// A pool's max_size is a ceiling whatever the concurrency:
			// only an unread count of replicas or processes makes a
			// pooled share a floor.
			per, lower, pooled, all, n, note, leak := 0, !u.Replicas.Known || !u.Processes.Known, false, true, 0, "", ""
			for _, p := range u.Postgres {
				if p.Mode != PGBouncer && containsStr(srv.Hosts, p.Host) {
					per += p.PerProcess
					n++
					lower = lower || p.Lower || p.Mode != PGPool && !u.Concurrency.Known
					pooled = pooled || p.Mode == PGPool
					all = all && p.Mode == PGPool
					if p.Note != "" && !strings.Contains(note, p.Note) {
						note = strings.TrimPrefix(note+"; "+p.Note, "; ")
					}
					if p.Leak != "" && !strings.Contains(leak, p.Leak) {
						leak = strings.TrimPrefix(leak+"; "+p.Leak, "; ")
					}
				}
			}
			if n == 0 {
				continue
			}
			t := Term{Unit: u, PerProcess: per, N: u.Total() * per, Lower: lower, Note: note, Leak: leak}
			t.Text = pgTerm(u, pooled, per, t.N)
			if leak != "" {
				t.Text += ", growing: " + leak
				b.Leak = true
			}
			t.Why = pgWhy(u, srv)
			b.Terms = append(b.Terms, t)
			b.Used += t.N
			b.Lower = b.Lower || lower
			b.Ceiling = (len(b.Terms) == 1 || b.Ceiling) && all
		}
		for _, bn := range m.Bouncers {
			if bn.Server == srv {
				t := m.bouncerTerm(bn)
				b.Terms = append(b.Terms, t)
				b.Used += t.N
				b.Ceiling = false
			}
		}
		b.Ceiling = b.Ceiling && !b.Lower
		if len(b.Terms) > 0 {
			out = append(out, b)
		}
	}
	for _, bn := range m.Bouncers {
		if b := m.bouncerBudget(bn); len(b.Terms) > 0 {
			out = append(out, b)
		}
	}
	for _, srv := range m.Redis {
		b := Budget{Key: RedisKey(srv), Resource: Redis, Name: srv.Name, Unit: "connections",
			Limit: srv.MaxClients.N, LimitKnown: !srv.Unread, Assumed: srv.Assumed, LimitFrom: srv.MaxClients.From,
			LimitName: "maxclients", DeclareKey: srv.DeclareKey()}
		for _, u := range m.Units {
			per, lower := 0, false
			var parts []string
			for _, r := range u.Redis {
				if containsStr(srv.Hosts, r.Host) {
					per += r.PerProcess
					lower = lower || r.Lower
					parts = append(parts, fmt.Sprintf("%s %s %d", r.Kind, r.Name, r.PerProcess))
				}
			}
			// The worker's own connections are its main process's, once per
			// container.
			own, ownParts := 0, []string(nil)
			if containsStr(srv.Hosts, u.WorkerRedisHost) {
				for _, c := range u.WorkerRedis {
					own += c.N
					ownParts = append(ownParts, fmt.Sprintf("%s %d (%s)", c.Step, c.N, c.Why))
				}
			}
			if len(parts) == 0 && own == 0 {
				continue
			}
			t := Term{Unit: u, PerProcess: per, N: u.Total()*per + u.Replicas.N*own, Lower: lower || !u.Replicas.Known || !u.Processes.Known}
			t.Text = fmt.Sprintf("%s %s x %d", u.Service, text.Plural(u.Total(), "process"), per)
			t.Why = fmt.Sprintf("%s: %s, each holding %s: a connection is held per command, so this is a ceiling, min of the pool cap and the %d it serves at once", u.Service, text.Plural(u.Total(), "process"), strings.Join(parts, " + "), u.Concurrency.N)
			if own > 0 {
				t.Text += fmt.Sprintf(" + %s x %d worker's own", text.Plural(u.Replicas.N, "container"), own)
				t.Why += fmt.Sprintf("; and per container the worker's own %d: %s", own, strings.Join(ownParts, ", "))
			}
			b.Terms = append(b.Terms, t)
			b.Used += t.N
			b.Lower = b.Lower || t.Lower
		}
		if len(b.Terms) > 0 {
			out = append(out, b)
		}
	}
	byService := map[string][]*Unit{}
	var services []string
	for _, u := range m.Units {
		if u.CPUs == nil && u.Memory == nil {
			continue
		}
		if _, ok := byService[u.Service]; !ok {
			services = append(services, u.Service)
		}
		byService[u.Service] = append(byService[u.Service], u)
	}
	for _, svc := range services {
		us := byService[svc]
		if l := us[0].CPUs; l != nil {
			b := Budget{Key: CPUKey(svc), Resource: CPU, Name: svc, Unit: "processes",
				Limit: CPUWorkers(l.Value), LimitKnown: true, LimitFrom: l.From}
			b.LimitFrom.What = fmt.Sprintf("2 x %s CPUs + 1 (%s)", fmtFloat(l.Value), l.From.What)
			for _, u := range us {
				t := Term{Unit: u, PerProcess: 1, N: u.Processes.N, Lower: !u.Processes.Known,
					Text: fmt.Sprintf("%s %s", u.Service, text.Plural(u.Processes.N, "process")), Why: u.Processes.From.String()}
				b.Terms = append(b.Terms, t)
				b.Used += t.N
				b.Lower = b.Lower || t.Lower
			}
			out = append(out, b)
		}
		if l := us[0].Memory; l != nil {
			est := int(m.WorkerMemory >> 20)
			b := Budget{Key: MemoryKey(svc), Resource: Memory, Name: svc, Unit: "MiB",
				Limit: int(l.Value / (1 << 20)), LimitKnown: true, LimitFrom: l.From}
			for _, u := range us {
				t := Term{Unit: u, PerProcess: est, N: u.Processes.N * est, Lower: !u.Processes.Known,
					Text: fmt.Sprintf("%s %s x %d MiB", u.Service, text.Plural(u.Processes.N, "process"), est), Why: u.Processes.From.String()}
				b.Terms = append(b.Terms, t)
				b.Used += t.N
				b.Lower = b.Lower || t.Lower
			}
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// CPUWorkers is gunicorn's guidance for a CPU limit: 2 x cpus + 1
// processes, the fraction of a fractional limit kept (2 x 0.5 + 1 = 2),
// at least 1.
func CPUWorkers(cpus float64) int {
	return max(1, int(math.Floor(2*cpus+1+1e-9)))
}

func fmtFloat(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%d", int(f))
	}
	return fmt.Sprintf("%g", f)
}

// What names a unit's processes: "3 workers", "1 process", "2 processes".
func (u *Unit) What() string {
	switch u.Server {
	case Gunicorn, Uvicorn, Granian:
		return text.Plural(u.Processes.N, "worker")
	}
	return text.Plural(u.Processes.N, "process")
}

// Each names what one process serves at once: "100 greenlets", "4
// threads", "" when it is one.
func (u *Unit) Each() string {
	switch {
	case u.Greenlets.N > 0:
		return text.Plural(u.Greenlets.N, "greenlet")
	case u.Threads.N > 1:
		return text.Plural(u.Threads.N, "thread")
	}
	return ""
}

// pgTerm renders one unit's share of a PostgreSQL budget: "web 3
// workers", "celery_ai 100 greenlets", "web 2 replicas x 8 workers x pool
// of 4 (64)".
func pgTerm(u *Unit, pooled bool, per, n int) string {
	var parts []string
	if u.Replicas.N != 1 {
		parts = append(parts, text.Plural(u.Replicas.N, "replica"))
	}
	what, each := u.What(), u.Each()
	switch {
	case pooled:
		parts = append(parts, what, fmt.Sprintf("pool of %d", per))
	case u.GreenBlocking != "" && per > 1:
		parts = append(parts, what, fmt.Sprintf("%d (psycopg2 blocks its %s, one query at a time, but each holds its connection while its result is stored)", per, each))
	case u.GreenBlocking != "":
		parts = append(parts, what, fmt.Sprintf("%d (psycopg2 blocks its %s: one query at a time)", per, each))
	case each != "" && what == "1 process":
		parts = append(parts, each)
	case each != "":
		parts = append(parts, what, each)
	default:
		parts = append(parts, what)
	}
	s := u.Service + " " + strings.Join(parts, " x ")
	if len(parts) > 1 {
		s += fmt.Sprintf(" (%d)", n)
	}
	return s
}

// pgWhy says how a unit's PostgreSQL share was read.
func pgWhy(u *Unit, srv *DBServer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", u.Server, u.Processes.From.What)
	if each := u.Each(); each != "" {
		fmt.Fprintf(&b, ", %s with %s each (%s)", u.WorkerClass, each, u.Concurrency.From.What)
	}
	if u.Replicas.N != 1 || !u.Replicas.Known {
		fmt.Fprintf(&b, "; %s", u.Replicas.From.What)
	}
	for _, p := range u.Postgres {
		if p.Mode == PGBouncer || !containsStr(srv.Hosts, p.Host) {
			continue
		}
		switch p.Mode {
		case PGPool:
			fmt.Fprintf(&b, "; DATABASES[%q]: Django's pool, %d to %d per process", p.Alias, p.Min, p.Max)
		case PGGreenlet:
			if u.GreenBlocking != "" && p.PerProcess > 1 {
				fmt.Fprintf(&b, "; DATABASES[%q]: a connection per greenlet, held while each task's result is stored, though psycopg2 without a wait callback runs one query at a time", p.Alias)
			} else if u.GreenBlocking != "" {
				fmt.Fprintf(&b, "; DATABASES[%q]: %s", p.Alias, u.GreenBlocking)
			} else {
				fmt.Fprintf(&b, "; DATABASES[%q]: a connection per greenlet", p.Alias)
			}
		default:
			if u.ASGI && u.SyncThread != "" {
				fmt.Fprintf(&b, "; DATABASES[%q]: %s, %d per process (%s)", p.Alias, p.Mode, p.PerProcess, u.SyncThread)
			} else if u.ASGI {
				fmt.Fprintf(&b, "; DATABASES[%q]: under ASGI each request's sync ORM work may run on its own thread, so at least 1 connection per process", p.Alias)
			} else {
				fmt.Fprintf(&b, "; DATABASES[%q]: %s, %d per process (%s)", p.Alias, p.Mode, p.PerProcess, u.Concurrency.From.What)
			}
		}
	}
	return b.String()
}
