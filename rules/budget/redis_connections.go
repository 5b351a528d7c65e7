package budget

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// RedisConnections is HR902.
var RedisConnections = &rules.Rule{
	ID:       "HR902",
	Name:     "redis-connection-budget",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "The processes of the stack can open more Redis connections than Redis accepts",
		Why: `redis-py's connection pools are per process, and a connection is held for one
command, not for a request (redis/client.py, Redis._execute_command takes it from
the pool and puts it back when the reply is read), so a process never holds more
connections than it runs commands at once: 1 for a sync worker or a prefork child,
the threads of a gthread worker, the greenlets of a gevent pool, never more than the
pool's cap. The cap is max_connections where it is set; unset, it is 50 for
redis.BlockingConnectionPool, no cap (2**31) for redis.ConnectionPool up to
redis-py 7.x, and 100 from redis-py 8.0 (redis/redis-py#4082), taken where the
requirements prove redis>=8. Redis accepts maxclients connections (10000 by default)
and refuses the rest with "max number of clients reached".

The rule reads headroom's capacity model (headroom model prints it): for each Redis
server, every process of the stack (web workers, Celery workers and beat, times each
service's replicas) holds min(cap, concurrency) connections for each client the
settings configure: each Redis cache (django-redis CONNECTION_POOL_KWARGS, or the
built-in RedisCache's OPTIONS), Celery's broker (capped by broker_pool_limit, 10 by
default) and result backend, and each channels_redis layer. Each Celery worker
container adds the connections its consumer holds for itself on a Redis broker, 2
for each channel it opens (kombu/transport/redis.py: each Channel has its own pools,
one connection polled with BRPOP or SUBSCRIBE and one its commands ran on):
the task consumer (celery/worker/consumer/connection.py), remote control
(celery/worker/pidbox.py; off with worker_enable_remote_control = False), mingle's
startup broadcast (celery/worker/consumer/mingle.py; off with --without-mingle), the
event dispatcher (celery/worker/consumer/events.py; off only with
--without-heartbeat and --without-gossip and no task events) and gossip
(celery/worker/consumer/gossip.py; off with --without-gossip): 10 in all by
default, as an idle worker showed in Redis's CLIENT LIST (prefork, threads and gevent
pools alike). The sum is compared with maxclients from the redis service's command
(--maxclients N), or 10000, assumed, when the server is outside the stack;
infrastructure.redis.<host>.maxclients in .headroom.yaml declares it and wins over
both. A redis.conf the redis service bind-mounts is read for maxclients; one that cannot be
read leaves the limit unknown and the rule quiet.`,
		Impact: "the report raises the per-process cap from 100 to 200; where a gevent pool or threads can use it, with replicas that can exceed what Redis accepts",
		Fix: `No automatic fix: raise maxclients on the redis service (redis-server --maxclients N,
within the file-descriptor limit), lower max_connections per process, or use
redis.BlockingConnectionPool so that processes wait for a free connection instead
of opening more.`,
		Bad: `# redis: command: redis-server --maxclients 1000; web: gunicorn -k gevent -w 8, deploy.replicas: 4
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://redis:6379/1",
    "OPTIONS": {"CONNECTION_POOL_KWARGS": {"max_connections": 200}}}}`,
		Good: `# redis: command: redis-server --maxclients 10000`,
		Sources: []string{
			"https://redis.io/docs/latest/develop/reference/clients/#maximum-concurrent-connected-clients",
			"https://redis-py.readthedocs.io/en/stable/connections.html#connectionpool",
			"https://github.com/jazzband/django-redis#configure-as-cache-backend",
			"https://docs.djangoproject.com/en/stable/topics/cache/#redis",
			"https://github.com/redis/redis-py/blob/v8.0.0/redis/connection.py",
			"https://github.com/redis/redis-py/blob/v8.0.0/redis/client.py",
			"https://github.com/redis/redis-py/pull/4082",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-pool-limit",
			"https://github.com/celery/kombu/blob/v5.6.2/kombu/transport/redis.py",
			"https://github.com/celery/celery/blob/v5.6.3/celery/worker/consumer/connection.py",
			"https://github.com/celery/celery/blob/v5.6.3/celery/worker/pidbox.py",
			"https://github.com/celery/celery/blob/v5.6.3/celery/worker/consumer/mingle.py",
			"https://github.com/celery/celery/blob/v5.6.3/celery/worker/consumer/events.py",
			"https://github.com/celery/celery/blob/v5.6.3/celery/worker/consumer/gossip.py",
		},
		Since: "0.1.0",
	},
	Check: checkRedisConnections,
}

func init() { rules.Register(RedisConnections) }

func checkRedisConnections(pass *rules.Pass) {
	if pass.File.Python == nil || len(pass.Stack.Commands) == 0 {
		return
	}
	m := pass.Model()
	for _, b := range m.Budgets() {
		if b.Resource != capacity.Redis || !b.Over() {
			continue
		}
		srv := redisServerOf(m, b)
		use, share := redisUseIn(pass, b, srv)
		if use == nil {
			continue
		}
		atLeast := capacity.AtLeast(b.Lower)
		limit := b.LimitText()
		var terms []string
		own := ""
		for _, t := range b.Terms {
			terms = append(terms, t.Text)
			if len(t.Unit.WorkerRedis) > 0 && hostOf(srv, t.Unit.WorkerRedisHost) {
				own = ", and each Celery worker container the connections its consumer holds for itself"
			}
		}
		what := fmt.Sprintf("%s %s", use.Kind, use.Name)
		if use.Kind == "cache" {
			what = fmt.Sprintf(`CACHES["%s"]`, use.Name)
		}
		rel := related(b, func(t capacity.Term) string { return t.Why })
		rel = append(rel, limitLocation(b)...)
		span, at := keySpan(use.Object), use.Object
		if use.CapObject != nil {
			rel = append(rel, rules.Location{Doc: use.CapObject.Doc(), Span: use.CapObject.Span(), Message: fmt.Sprintf("a pool of up to %d connections per process", use.Cap.N)})
		}
		d := rules.Diagnostic{
			Span: span,
			Message: fmt.Sprintf(`%s: the stack can open %s%d connections to Redis server %s at once (%s of them through this client), more than the %d it accepts (%s): %s = %s%d; each process holds at most the lesser of a pool's cap and the requests or tasks it serves at once (a connection is held per command)%s; past the limit Redis refuses new clients`,
				what, atLeast, b.Used, b.Name, share, b.Limit, limit, strings.Join(terms, " + "), atLeast, b.Used, own),
			Related: rel,
		}
		if doc := at.Doc(); doc != nil && doc != pass.Doc() {
			d.Doc = doc
		}
		pass.Report(d)
	}
}

func redisServerOf(m *capacity.Model, b capacity.Budget) *capacity.RedisServer {
	for _, s := range m.Redis {
		if capacity.RedisKey(s) == b.Key {
			return s
		}
	}
	return nil
}

// redisUseIn is the client of the pass's settings module that holds the
// largest share of the budget's server, and that share.
func redisUseIn(pass *rules.Pass, b capacity.Budget, srv *capacity.RedisServer) (*capacity.RedisUse, string) {
	if srv == nil {
		return nil, ""
	}
	byKey := map[string]*capacity.RedisUse{}
	total := map[string]int{}
	var order []string
	// Reported once, with the settings module of the first process that
	// connects to the server.
	var module *stack.File
	for _, t := range b.Terms {
		if t.Unit.Settings != nil {
			module = t.Unit.Settings.Module
			break
		}
	}
	if module != pass.File {
		return nil, ""
	}
	for _, t := range b.Terms {
		for _, r := range t.Unit.Redis {
			if r.Object == nil || r.Object.Doc() == nil || t.Unit.Settings == nil || t.Unit.Settings.Module != pass.File || !hostOf(srv, r.Host) {
				continue
			}
			k := r.Kind + "/" + r.Name
			if byKey[k] == nil {
				byKey[k] = r
				order = append(order, k)
			}
			total[k] += r.PerProcess * t.Unit.Total()
		}
	}
	var best string
	for _, k := range order {
		if best == "" || total[k] > total[best] {
			best = k
		}
	}
	if best == "" {
		return nil, ""
	}
	return byKey[best], fmt.Sprint(total[best])
}

func hostOf(srv *capacity.RedisServer, host string) bool {
	for _, h := range srv.Hosts {
		if h == host {
			return true
		}
	}
	return false
}

var _ parsers.Span
