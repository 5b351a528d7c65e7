package capacity

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/stack"
)

// PGMode is how a process holds its PostgreSQL connections.
type PGMode int

const (
	// PGPerRequest: CONN_MAX_AGE = 0, a connection per request or task in
	// flight, closed at its end.
	PGPerRequest PGMode = iota
	// PGPersistent: CONN_MAX_AGE > 0 (or None), a connection per thread
	// kept open between requests.
	PGPersistent
	// PGGreenlet: a gevent or eventlet worker, a connection per greenlet.
	PGGreenlet
	// PGPool: Django's pool (OPTIONS["pool"]), between min_size and
	// max_size per process.
	PGPool
	// PGBouncer: HOST is PgBouncer, which holds the server connections;
	// nothing counts against PostgreSQL's max_connections directly.
	PGBouncer
)

func (m PGMode) String() string {
	return [...]string{"per request", "persistent", "greenlet-local", "Django pool", "PgBouncer"}[m]
}

// PostgreSQL and psycopg_pool defaults.
const (
	PGMaxConnections = 100 // max_connections
	PGReserved       = 3   // superuser_reserved_connections
	PoolMinSize      = 4   // psycopg_pool ConnectionPool(min_size=4)
	RedisMaxClients  = 10000
	// BrokerPoolLimit is Celery's broker_pool_limit default.
	BrokerPoolLimit = 10
	// Unbounded stands for redis-py's default pool cap (2**31).
	Unbounded = 1 << 31
)

// PGUse is what one process of a unit holds of one PostgreSQL alias.
type PGUse struct {
	Alias string
	// Host is the alias's HOST as the settings give it ("" when unset or
	// not readable).
	Host string
	// DB is the alias's dict in the settings; Settings the settings it is
	// read from.
	DB       *python.Object
	Settings *stack.Settings
	Mode     PGMode
	// Min and Max are the connections one process holds at least and at
	// most; PerProcess what the budget counts (Max, or the concurrency a
	// pool admits).
	Min, Max, PerProcess int
	// Lower says PerProcess is a floor (ASGI: each request's sync ORM work
	// may run on its own thread).
	Lower bool
	// From is where the mode is decided: CONN_MAX_AGE, OPTIONS["pool"],
	// the PgBouncer host.
	From Source
	// Pool is OPTIONS["pool"] when there is one; Timeout its getconn()
	// timeout in seconds.
	Pool    *python.Object
	Timeout int
	// Note is what the pool costs this unit (PoolTrade: a process serving
	// more at once than max_size, Celery closing the pool), "" when
	// nothing.
	Note string
	// Leak says why the connections grow with the work served rather than
	// stay bounded by the concurrency ("" when they do not): CONN_MAX_AGE
	// > 0 under a green pool. PerProcess is then a floor.
	Leak string
}

// RedisUse is what one process of a unit holds of one Redis client.
//
// redis-py takes a connection from the pool for one command (or one
// pipeline) and puts it back when the reply is read
// (redis/client.py, Redis.execute_command), so a connection is held per
// command, not per request: a process holds at most as many as it runs
// commands at once, one per request, task or greenlet in flight, and never
// more than the cap. PerProcess = min(Cap, concurrency) is that ceiling,
// counted once per process and client; a request that runs many commands
// reuses the one connection.
type RedisUse struct {
	// Kind is "cache", "broker", "result backend" or "channel layer"; Name
	// the cache or layer alias, or the setting's name.
	Kind, Name string
	Host       string
	// Cap is the client's pool cap (Unbounded where there is none).
	Cap Count
	// PerProcess is min(Cap, concurrency): a process never uses more
	// connections than it has concurrent users of the pool.
	PerProcess int
	Lower      bool
	// Object is the setting that configures the client; CapObject the cap
	// where one is written.
	Object, CapObject *python.Object
	// Class is the pool class a cache names (PoolPlain unless set);
	// ClassObject where it is set. Blocking says it is redis-py's
	// BlockingConnectionPool, whose get_connection waits Wait seconds (0:
	// forever) for a free connection and then raises ConnectionError("No
	// connection available."), where ConnectionPool raises
	// MaxConnectionsError("Too many connections") at once.
	Class       string
	ClassObject *python.Object
	Blocking    bool
	Wait        Count
}

// connections fills a unit's per-process PostgreSQL and Redis uses from
// its settings.
func (m *Model) connections(u *Unit) {
	st := u.Settings
	if st == nil || st.NS == nil {
		return
	}
	if dbs := st.NS.Names["DATABASES"]; dbs.IsDict() && !dbs.Conditional {
		for _, k := range dbs.Keys() {
			db := dbs.Get(k)
			if !db.IsDict() || db.Conditional || !isPostgres(st, db) {
				continue
			}
			u.Postgres = append(u.Postgres, m.pgUse(u, st, k, db))
		}
	}
	m.redisUses(u, st)
}

func str(st *stack.Settings, o *python.Object) (string, bool) {
	if o == nil || o.Conditional {
		return "", false
	}
	v := st.Value(o)
	if !v.Known || v.Lit.Kind != python.Str {
		return "", false
	}
	return v.Lit.Str, true
}

func num(st *stack.Settings, o *python.Object) (float64, bool) {
	if o == nil || o.Conditional {
		return 0, false
	}
	v := st.Value(o)
	if !v.Known {
		return 0, false
	}
	return v.Lit.Number()
}

func isPostgres(st *stack.Settings, db *python.Object) bool {
	e, ok := str(st, db.Get("ENGINE"))
	return ok && (strings.Contains(e, "postgresql") || strings.Contains(e, "postgis"))
}

func objSource(o *python.Object, what string) Source {
	if o == nil || o.Doc() == nil {
		return defaultSource(what)
	}
	src := Source{Doc: o.Doc(), Span: o.Span(), What: what}
	switch {
	case o.Entry != nil:
		src.Setting = o.Entry.Span
	case o.Arg != nil:
		src.Setting = o.Arg.Span
	case o.Stmt != nil && o.Expr != nil:
		src.Setting = o.Stmt.Span
	}
	return src
}

// pgUse reads what one process of u holds of the alias. Through PgBouncer
// the process holds the same client connections, to PgBouncer: PerProcess
// counts them against its max_client_conn, and PgBouncer's own server
// connections are its share of PostgreSQL's budget (bouncerTerm).
func (m *Model) pgUse(u *Unit, st *stack.Settings, alias string, db *python.Object) *PGUse {
	p := m.directPGUse(u, st, alias, db)
	if m.Stack.IsPgBouncer(p.Host) {
		p.Mode = PGBouncer
		p.From = objSource(db.Get("HOST"), "HOST "+p.Host+" is PgBouncer")
	}
	return p
}

func (m *Model) directPGUse(u *Unit, st *stack.Settings, alias string, db *python.Object) *PGUse {
	p := &PGUse{Alias: alias, DB: db, Settings: st}
	p.Host, _ = str(st, db.Get("HOST"))
	conc := u.Concurrency.N
	switch {
	case poolOf(st, db, p):
		if u.Concurrency.Known {
			p.PerProcess = min(max(conc, p.Min), p.Max)
		} else {
			p.PerProcess = p.Max
		}
		p.Note = PoolTrade(m.Stack, u, p.Max, p.Timeout)
		if v, ok := preforkNoReuse(m.Stack, u); ok {
			p.PerProcess = min(1, p.Max)
			p.Note = fmt.Sprintf("Celery %s closes Django's pool after every task in prefork children: a new connection per task, no reuse from the pool", v)
		}
		return p
	case u.GreenBlocking != "":
		// psycopg2 without a wait callback blocks the process for each
		// query: one greenlet at a time is in the database.
		p.Mode = PGGreenlet
		p.From = u.Greenlets.From
		p.From.What = fmt.Sprintf("%s, but %s", u.Greenlets.From.What, u.GreenBlocking)
		p.Min, p.Max, p.PerProcess = 0, 1, 1
		if why := GreenHold(u, st); why != "" {
			// One query at a time, but not one connection: each
			// greenlet's stays open across a cooperative wait.
			p.Max, p.PerProcess, p.Note = conc, conc, why
			p.From.What = fmt.Sprintf("%s: one connection per greenlet, though psycopg2 without a wait callback runs their queries one at a time", u.Greenlets.From.What)
		}
		p.Leak = greenLeak(u, st, db)
		p.Lower = p.Leak != ""
		return p
	case u.Greenlets.N > 0:
		p.Mode = PGGreenlet
		p.From = u.Greenlets.From
		p.From.What = fmt.Sprintf("%s: one connection per greenlet", u.Greenlets.From.What)
		p.Leak = greenLeak(u, st, db)
	default:
		p.Mode = PGPerRequest
		p.From = objSource(db.Get("CONN_MAX_AGE"), "CONN_MAX_AGE = 0 (Django's default)")
		if age, ok := connMaxAge(st, db); ok {
			if age.persistent {
				p.Mode = PGPersistent
			}
			p.From.What = "CONN_MAX_AGE = " + age.text
		}
	}
	p.Min, p.Max, p.PerProcess = 0, conc, conc
	if p.Leak != "" {
		p.Lower = true
		return p
	}
	// Under ASGI each request's sync ORM work may run on a thread of its
	// own (Django >= 4.0), unless the version runs it on one thread.
	p.Lower = u.ASGI && u.SyncThread == ""
	return p
}

type maxAge struct {
	text       string
	persistent bool
}

// connMaxAge reads CONN_MAX_AGE where the settings state it: persistent
// for None (forever) or a positive number of seconds.
func connMaxAge(st *stack.Settings, db *python.Object) (maxAge, bool) {
	o := db.Get("CONN_MAX_AGE")
	if o == nil || o.Conditional {
		return maxAge{}, false
	}
	v := st.Value(o)
	persistent := v.Known && (v.Lit.Kind == python.None || v.Lit.Kind != python.Bool && func() bool { n, ok := v.Lit.Number(); return ok && n > 0 }())
	return maxAge{text: v.Lit.String(), persistent: persistent}, true
}

// greenLeak says why a green unit's connections grow without bound, ""
// when they do not. Under gevent and eventlet Django's connections are
// greenlet-local (django/utils/connection.py keeps them in an
// asgiref Local, which monkey-patching makes per greenlet), and every
// request or task runs in a greenlet of its own: gevent's pool in
// gunicorn (gunicorn/workers/ggevent.py) and Celery's (celery/concurrency/
// gevent.py spawns one per task). With CONN_MAX_AGE > 0 neither Django's
// request_finished handler nor Celery's fixup (close_if_unusable_or_obsolete)
// closes a connection that is still young, so each finished greenlet leaves
// its connection open until the greenlet's storage is collected, and the
// count grows with the work served toward max_connections. Measured by
// make validate-model-celery (gevent-100-age600: 14 backends from 1
// greenlet at a time; with psycogreen 119, past the 100 greenlets).
func greenLeak(u *Unit, st *stack.Settings, db *python.Object) string {
	age, ok := connMaxAge(st, db)
	if !ok || !age.persistent {
		return ""
	}
	return fmt.Sprintf("CONN_MAX_AGE = %s under %s: each finished greenlet leaves its connection open, so the connections grow with the work served until max_connections", age.text, u.WorkerClass)
}

// GreenHold says why a Celery gevent worker whose psycopg2 blocks the
// process (GreenBlocking) still holds a connection per greenlet, "" when
// the model sees no reason. Django's connections are thread-local, which
// under gevent's monkey-patching is greenlet-local, and Celery's Django
// fixup closes a task's connection (CONN_MAX_AGE 0) or keeps it
// (CONN_MAX_AGE > 0) only at task_postrun (celery/fixups/django.py,
// on_task_postrun), which the tracer sends after it has stored the task's
// result (celery/app/trace.py, build_tracer: mark_as_done before
// send_postrun). With a Redis result backend that store is a round trip on
// a socket gevent made cooperative: the greenlet waits with its
// connection open while the others run, and each opens its own; a task
// that waits on any other cooperative I/O after its first query (an HTTP
// call to an API) does the same. Queries still run one at a time, so the
// unit's throughput is not raised.
func GreenHold(u *Unit, st *stack.Settings) string {
	if u.Server != CeleryWorker || u.GreenBlocking == "" || st == nil || st.NS == nil {
		return ""
	}
	ns := st.NS.Names
	o := ns["CELERY_RESULT_BACKEND"]
	if o == nil || o.Conditional {
		return ""
	}
	loc, _ := str(st, o)
	if redisHost(loc) == "" {
		return ""
	}
	if ig := ns["CELERY_TASK_IGNORE_RESULT"]; ig != nil {
		if v := st.Value(ig); !v.Known || v.Lit.Truthy() {
			return ""
		}
	}
	return "CELERY_RESULT_BACKEND is Redis: each task stores its result, a cooperative round trip, before Celery's Django fixup closes its connection (task_postrun), so each greenlet holds a connection of its own while the others run: one per greenlet, though one query at a time"
}

// poolOf reads OPTIONS["pool"] into p: Django's pool hands its arguments to
// psycopg_pool.ConnectionPool, whose min_size defaults to 4 and whose
// max_size defaults to min_size.
func poolOf(st *stack.Settings, db *python.Object, p *PGUse) bool {
	pool := db.Get("OPTIONS").Get("pool")
	if pool == nil || pool.Conditional {
		return false
	}
	lo, hi := PoolMinSize, 0
	p.Timeout = PoolTimeout
	what := "OPTIONS[\"pool\"]"
	if pool.IsDict() {
		if n, ok := num(st, pool.Get("timeout")); ok && n > 0 {
			p.Timeout = int(n)
		}
		if n, ok := num(st, pool.Get("min_size")); ok && n >= 0 {
			lo = int(n)
		}
		hi = lo
		if n, ok := num(st, pool.Get("max_size")); ok && n >= float64(lo) {
			hi = int(n)
		}
	} else {
		v := st.Value(pool)
		if v.Known && !v.Lit.Truthy() {
			return false
		}
		hi = lo
		what += " = True (psycopg_pool's defaults)"
	}
	p.Mode, p.Pool, p.Min, p.Max = PGPool, pool, lo, hi
	p.From = objSource(pool, fmt.Sprintf("%s: %d to %d connections per process", what, lo, hi))
	return true
}

// redisUses lists the Redis clients the settings configure: caches,
// Celery's broker and result backend, channel layers.
func (m *Model) redisUses(u *Unit, st *stack.Settings) {
	add := func(r *RedisUse) {
		if r.Host == "" {
			return
		}
		r.PerProcess = min(r.Cap.N, u.Concurrency.N)
		r.Lower = !u.Concurrency.Known && r.Cap.N > u.Concurrency.N
		u.Redis = append(u.Redis, r)
	}
	ns := st.NS.Names
	if caches := ns["CACHES"]; caches.IsDict() && !caches.Conditional {
		for _, name := range caches.Keys() {
			c := caches.Get(name)
			if !c.IsDict() || c.Conditional {
				continue
			}
			if r := m.CacheUse(st, name, c); r != nil {
				add(r)
			}
		}
	}
	for _, name := range []string{"CELERY_BROKER_URL", "BROKER_URL"} {
		if o := ns[name]; o != nil {
			loc, _ := str(st, o)
			r := &RedisUse{Kind: "broker", Name: name, Host: redisHost(loc), Object: o}
			capObj := ns["CELERY_BROKER_POOL_LIMIT"]
			r.CapObject = capObj
			r.Cap = capCount(st, capObj, known(BrokerPoolLimit, defaultSource("Celery's default broker_pool_limit: 10")), known(Unbounded, objSource(capObj, "no cap")))
			add(r)
			if u.Server == CeleryWorker && u.Command != nil && r.Host != "" {
				u.WorkerRedis = celeryWorkerConns(u)
				u.WorkerRedisHost = r.Host
			}
			break
		}
	}
	if o := ns["CELERY_RESULT_BACKEND"]; o != nil {
		loc, _ := str(st, o)
		capObj := ns["CELERY_REDIS_MAX_CONNECTIONS"]
		r := &RedisUse{Kind: "result backend", Name: "CELERY_RESULT_BACKEND", Host: redisHost(loc), Object: o, CapObject: capObj}
		// Celery hands redis_max_connections (None unless set) to
		// redis.ConnectionPool (celery/backends/redis.py, RedisBackend), so
		// redis-py's default cap applies where it is unset.
		def := m.redisPy.DefaultCap()
		r.Cap = capCount(st, capObj, def, def)
		add(r)
	}
	if layers := ns["CHANNEL_LAYERS"]; layers.IsDict() && !layers.Conditional {
		for _, name := range layers.Keys() {
			l := layers.Get(name)
			backend, _ := str(st, l.Get("BACKEND"))
			if !strings.HasPrefix(backend, "channels_redis.") {
				continue
			}
			hosts := l.Get("CONFIG").Get("hosts")
			loc, _ := locationOf(st, hosts)
			r := &RedisUse{Kind: "channel layer", Name: name, Host: redisHost(loc), Object: l}
			r.Cap = known(Unbounded, defaultSource("channels_redis: no pool cap"))
			add(r)
		}
	}
}

func locationOf(st *stack.Settings, o *python.Object) (string, bool) {
	if o == nil {
		return "", false
	}
	if s, ok := str(st, o); ok {
		return s, true
	}
	// The first of a list of hosts, as the settings evaluate it
	// ([f"{REDIS_URL}/1"] with REDIS_URL read from the environment).
	if o.Expr != nil && o.Expr.List != nil && len(o.Expr.List.Items) > 0 && !o.Conditional {
		if v := st.ValueOf(o.Expr.List.Items[0].Value); v.Known && v.Lit.Kind == python.Str {
			return v.Lit.Str, true
		}
	}
	// A list of hosts, or a read of the environment inside one: the first
	// redis URL written (the default where the deployment sets no other).
	if o.Expr != nil && o.Doc() != nil {
		if m := redisURL.FindStringSubmatch(o.Doc().Text(o.Expr.Span)); m != nil {
			return m[1], true
		}
	}
	return "", false
}

// capCount reads a pool cap: def where none is set, none where it is set
// to None or a number below 1 (redis-py and kombu read "cap or default").
func capCount(st *stack.Settings, o *python.Object, def, none Count) Count {
	if o == nil {
		return def
	}
	v := st.Value(o)
	if !v.Known {
		return Count{N: def.N, From: objSource(o, "not readable: "+def.From.What)}
	}
	n, ok := v.Lit.Number()
	if v.Lit.Kind == python.None || !ok || n <= 0 {
		none.From = objSource(o, v.Lit.String()+": "+none.From.What)
		return none
	}
	return known(int(n), objSource(o, fmt.Sprintf("a pool of up to %d", int(n))))
}

var redisURL = regexp.MustCompile(`["'](rediss?://[^"']+)["']`)

// redisHost is the host of a redis:// URL ("" when unreadable).
func redisHost(loc string) string {
	loc = strings.TrimSpace(strings.Split(loc, ",")[0])
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Scheme, "redis") {
		return ""
	}
	return u.Hostname()
}
