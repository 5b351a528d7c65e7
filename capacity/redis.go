package capacity

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/stack"
)

// RedisPyVersion is what the requirements prove of the redis-py release
// the processes import. redis-py 8.0 (redis/redis-py#4082) changed the
// defaults the model depends on: a ConnectionPool without
// max_connections is capped at 100 (2**31 before), and sockets time out
// after 5 s (no timeout before).
//
// Only redis itself proves anything: its Version is the lowest release
// the requirements allow, so ">= 8" is proven by redis>=8 or redis==8.x,
// and "< 8" only by an exact pin (redis==7.4.0, a lock file). The packages
// that bring redis in prove nothing about it: django-redis requires
// redis>=3 (5.x) or redis>=4.0.2 (6.0), floors far below 8; kombu's redis
// extra caps it (<6.0.0 in 5.3.3-5.3.5, <=5.2.1 in 5.5.x, <6.5 in 5.6.x)
// only when that extra is installed at a pinned kombu, which a
// requirement on celery or kombu does not show. Unknown stays unknown.
type RedisPyVersion struct {
	// AtLeast8 and Below8 are set when the requirements prove it; neither
	// when they do not show which redis-py runs.
	AtLeast8, Below8 bool
	// From names the requirement: "redis==8.0.1 (requirements.txt line 3)".
	From string
}

func redisPyVersion(s *stack.Stack) RedisPyVersion {
	r, ok := s.Version("redis")
	if !ok || !r.Version.Known() {
		return RedisPyVersion{}
	}
	v := RedisPyVersion{From: "redis " + r.Version.String()}
	if r.Doc != nil {
		v.From += " (" + r.Doc.Path
		if r.Line > 0 {
			v.From += fmt.Sprintf(" line %d", r.Line)
		}
		v.From += ")"
	}
	switch {
	case r.Version.AtLeast(8):
		v.AtLeast8 = true
	case r.Exact:
		v.Below8 = true
	}
	return v
}

// RedisPy is what the requirements prove of redis-py's version.
func (m *Model) RedisPy() RedisPyVersion { return m.redisPy }

// DefaultCap is redis-py's cap for a ConnectionPool built without
// max_connections (or with None or 0: redis-py reads "max_connections or
// the default"), and where the model takes it from.
func (v RedisPyVersion) DefaultCap() Count {
	switch {
	case v.AtLeast8:
		return known(RedisPy8PoolCap, defaultSource(fmt.Sprintf("redis-py 8's default pool cap: %d (%s)", RedisPy8PoolCap, v.From)))
	case v.Below8:
		return known(Unbounded, defaultSource("redis-py's default pool before 8.0: no cap (2**31, "+v.From+")"))
	}
	return known(Unbounded, defaultSource(fmt.Sprintf("no cap set: redis-py leaves the pool unbounded before 8.0 and caps it at %d from 8.0; the requirements do not show which runs", RedisPy8PoolCap)))
}

// redis-py's pool defaults (redis/connection.py: ConnectionPool.__init__,
// BlockingConnectionPool.__init__; the same from 5.0 to 8.0 except the
// ConnectionPool cap).
const (
	RedisPy8PoolCap    = 100
	BlockingPoolCap    = 50
	BlockingPoolWait   = 20
	RedisPy8SocketWait = 5
)

// Pool classes the settings can name.
const (
	PoolPlain    = "redis.ConnectionPool"
	PoolBlocking = "redis.BlockingConnectionPool"
)

// CacheUse reads the Redis pool a CACHES entry configures, or nil when
// its BACKEND is not a Redis one. django-redis takes the class from
// OPTIONS["CONNECTION_POOL_CLASS"] (django_redis/pool.py, ConnectionFactory:
// "redis.connection.ConnectionPool" by default) and hands
// OPTIONS["CONNECTION_POOL_KWARGS"] to it; Django's own RedisCache takes
// OPTIONS["pool_class"] and hands the other OPTIONS to it
// (django/core/cache/backends/redis.py, RedisCacheClient). PerProcess is
// left to the unit.
func (m *Model) CacheUse(st *stack.Settings, name string, c *python.Object) *RedisUse {
	backend, _ := str(st, c.Get("BACKEND"))
	opts := c.Get("OPTIONS")
	var kwargs, class *python.Object
	switch backend {
	case "django_redis.cache.RedisCache":
		kwargs, class = opts.Get("CONNECTION_POOL_KWARGS"), opts.Get("CONNECTION_POOL_CLASS")
	case "django.core.cache.backends.redis.RedisCache":
		kwargs, class = opts, opts.Get("pool_class")
	default:
		return nil
	}
	loc, _ := locationOf(st, c.Get("LOCATION"))
	r := &RedisUse{Kind: "cache", Name: name, Host: redisHost(loc), Object: c, Class: PoolPlain}
	r.CapObject = kwargs.Get("max_connections")
	if cl, ok := str(st, class); ok {
		r.Class = cl
		r.Blocking = strings.HasSuffix(cl, ".BlockingConnectionPool") && strings.HasPrefix(cl, "redis.")
		r.ClassObject = class
	}
	if !r.Blocking {
		def := m.redisPy.DefaultCap()
		r.Cap = capCount(st, r.CapObject, def, def)
		return r
	}
	def := known(BlockingPoolCap, defaultSource(fmt.Sprintf("redis.BlockingConnectionPool's default max_connections: %d", BlockingPoolCap)))
	r.Cap = capCount(st, r.CapObject, def, known(Unbounded, objSource(r.CapObject, "None: no cap")))
	r.Wait = known(BlockingPoolWait, defaultSource(fmt.Sprintf("redis.BlockingConnectionPool's default timeout: %d s", BlockingPoolWait)))
	if o := kwargs.Get("timeout"); o != nil {
		switch v := st.Value(o); {
		case v.Known && v.Lit.Kind == python.None:
			r.Wait = known(0, objSource(o, "timeout None: waits for a free connection forever"))
		default:
			if n, ok := num(st, o); ok && n > 0 {
				r.Wait = known(int(n), objSource(o, fmt.Sprintf("timeout %v s", n)))
			} else {
				r.Wait = Count{N: BlockingPoolWait, From: objSource(o, "timeout not readable")}
			}
		}
	}
	return r
}

// WaitText says how long a blocking pool waits: "up to 20 s (the pool's
// default timeout)", "up to 3 s (timeout 3)", "forever (timeout None)".
func (r *RedisUse) WaitText() string {
	switch {
	case !r.Wait.Known:
		return "for its timeout (not readable here)"
	case r.Wait.N == 0:
		return "forever (timeout None)"
	case r.Wait.From.Default:
		return fmt.Sprintf("up to %d s (the pool's default timeout)", r.Wait.N)
	}
	return fmt.Sprintf("up to %d s (timeout %d)", r.Wait.N, r.Wait.N)
}

// CeleryConn is one of the Redis connections a Celery worker's main
// process holds for itself, beside the pools its children and threads use
// to publish.
type CeleryConn struct {
	// Step is the worker's bootstep: "consumer", "remote control", ...
	Step string
	N    int
	// Why says what the connections are and where Celery opens them.
	Why string
}

// celeryWorkerConns are the connections a celery worker's consumer opens
// to a Redis broker, once per container whatever its pool and
// concurrency. Each kombu Channel on the redis transport has its own
// redis-py pools (kombu/transport/redis.py, Channel.pool and
// Channel.async_pool), and redis-py keeps a released connection open in
// its pool, so each channel Celery opens holds 2 connections: the one it
// polls on (BRPOP, or SUBSCRIBE for a fanout queue) and the one its
// commands ran on. Measured with Debian's celery 5.2.6, kombu 5.2.4 and
// redis-py 4.3.4 (CLIENT LIST of an idle worker): a prefork worker -c 2, a
// threads pool -c 8 and a gevent pool -c 20 each held 10 connections;
// --without-gossip 8; with --without-heartbeat too 6; with
// --without-mingle too 4. The prefork children held none until they
// publish. The bootsteps are the same in celery 5.6.
func celeryWorkerConns(u *Unit) []CeleryConn {
	c := u.Command.Server
	out := []CeleryConn{{"consumer", 2, "BRPOP on the task queues and the connection its queue bindings ran on (celery/worker/consumer/connection.py: Connection)"}}
	if remote := u.Settings.NS.Names["CELERY_WORKER_ENABLE_REMOTE_CONTROL"]; remote == nil || truthy(u.Settings, remote) {
		out = append(out, CeleryConn{"remote control", 2, "the pidbox channel's SUBSCRIBE to the celery.pidbox fanout and its binding (celery/worker/pidbox.py: Pidbox.start)"})
	}
	if !c.Has("without-mingle") {
		out = append(out, CeleryConn{"mingle", 2, "the startup hello broadcast, a channel on the consumer's connection that stays open (celery/worker/consumer/mingle.py: Mingle.sync, inspect(connection=c.connection); --without-mingle drops it)"})
	}
	// The event dispatcher is enabled for task events, gossip or heartbeats
	// (celery/worker/consumer/events.py: Events.send_events).
	events := c.Has("task-events") || !c.Has("without-gossip") || !c.Has("without-heartbeat")
	if o := u.Settings.NS.Names["CELERY_WORKER_SEND_TASK_EVENTS"]; o != nil && truthy(u.Settings, o) {
		events = true
	}
	if events {
		out = append(out, CeleryConn{"events", 2, "the event dispatcher's own connection, publishing heartbeats and events (celery/worker/consumer/events.py: Events.start, connection_for_write)"})
	}
	if !c.Has("without-gossip") {
		out = append(out, CeleryConn{"gossip", 2, "SUBSCRIBE to the worker events of the other workers and its binding (celery/worker/consumer/gossip.py; --without-gossip drops it)"})
	}
	return out
}

func truthy(st *stack.Settings, o *python.Object) bool {
	v := st.Value(o)
	return !v.Known || v.Lit.Truthy()
}
