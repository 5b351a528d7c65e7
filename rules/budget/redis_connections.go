package budget

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
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
		Why: `redis-py's connection pools are per process: a Django cache whose pool is capped at
max_connections can open that many connections in every web worker, Celery process
and beat of the stack, times each service's deploy.replicas. Redis accepts maxclients
connections (10000 by default) and refuses the rest with "max number of clients
reached". The rule multiplies the processes that load the settings by each Redis
cache's max_connections (django-redis CONNECTION_POOL_KWARGS, or the built-in
RedisCache's OPTIONS) and compares the product with maxclients from the redis
service's command (--maxclients N), or 10000 when the server is outside the stack. A
cache without a cap is skipped: its connections follow concurrency, not a pool size.
Celery's broker and result connections and channels_redis are not counted, so the
real total is higher. A redis service that mounts a redis.conf without --maxclients
on its command line is not read, and the rule stays quiet for it.`,
		Impact: "the report raises the per-process cap from 100 to 200; with replicas that can exceed what Redis accepts",
		Fix: `No automatic fix: raise maxclients on the redis service (redis-server --maxclients N,
within the file-descriptor limit), lower max_connections per process, or use
redis.BlockingConnectionPool so that processes wait for a free connection instead
of opening more.`,
		Bad: `# redis: command: redis-server --maxclients 1000; web: gunicorn -w 8, deploy.replicas: 4
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://redis:6379/1",
    "OPTIONS": {"CONNECTION_POOL_KWARGS": {"max_connections": 200}}}}`,
		Good: `# redis: command: redis-server --maxclients 10000`,
		Sources: []string{
			"https://redis.io/docs/latest/develop/reference/clients/#maximum-concurrent-connected-clients",
			"https://redis-py.readthedocs.io/en/stable/connections.html#connectionpool",
			"https://github.com/jazzband/django-redis#configure-as-cache-backend",
			"https://docs.djangoproject.com/en/stable/topics/cache/#redis",
		},
		Since: "0.1.0",
	},
	Check: checkRedisConnections,
}

func init() { rules.Register(RedisConnections) }

const redisMaxClients = 10000

func checkRedisConnections(pass *rules.Pass) {
	m := pass.File.Python
	if m == nil || len(pass.Stack.Commands) == 0 {
		return
	}
	caches := m.Names["CACHES"]
	if !caches.IsDict() || caches.Conditional {
		return
	}
	us := units(pass.Stack)
	procs, lower := 0, false
	var terms []string
	for _, u := range us {
		procs += u.Procs
		lower = lower || u.Lower
		terms = append(terms, fmt.Sprintf("%s %d", u.Label, u.Procs))
	}
	for _, name := range caches.Keys() {
		c := caches.Get(name)
		if !c.IsDict() || c.Conditional {
			continue
		}
		backend, _ := str(c.Get("BACKEND"))
		var capObj *python.Object
		switch backend {
		case "django_redis.cache.RedisCache":
			capObj = c.Get("OPTIONS").Get("CONNECTION_POOL_KWARGS").Get("max_connections")
		case "django.core.cache.backends.redis.RedisCache":
			capObj = c.Get("OPTIONS").Get("max_connections")
		default:
			continue
		}
		n, ok := num(capObj)
		if !ok || n <= 0 {
			continue
		}
		perProc := int(n)
		loc, _ := str(c.Get("LOCATION"))
		maxClients, srvLoc, known := redisServer(pass.Stack, redisHost(loc))
		if !known {
			continue
		}
		total := procs * perProc
		if total <= maxClients {
			continue
		}
		atLeast := ""
		if lower {
			atLeast = "at least "
		}
		limit := fmt.Sprintf("maxclients %d", maxClients)
		if srvLoc == nil {
			limit += " (Redis's default)"
		}
		rel := related(us, func(u unit) string {
			return fmt.Sprintf("%s: %s, a pool of up to %d each (%s)", u.Label, plural(u.Procs, "process"), perProc, u.Why)
		})
		if srvLoc != nil {
			rel = append(rel, *srvLoc)
		}
		rel = append(rel, rules.Location{Doc: pass.Doc(), Span: capObj.Span(), Message: fmt.Sprintf("max_connections %d per process", perProc)})
		pass.Report(rules.Diagnostic{
			Span: keySpan(c),
			Message: fmt.Sprintf(`CACHES["%s"]: %s%d processes x max_connections %d = %s%d Redis connections, more than %s accepts (processes: %s); past it Redis refuses new clients`,
				name, atLeast, procs, perProc, atLeast, total, limit, strings.Join(terms, " + ")),
			Related: rel,
		})
	}
}

// redisHost is the host of a redis:// URL ("" when unreadable).
func redisHost(loc string) string {
	loc = strings.TrimSpace(strings.Split(loc, ",")[0])
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Scheme, "redis") {
		return ""
	}
	return u.Hostname()
}

// redisServer finds maxclients for host: the compose service's command
// line, else Redis's default. known is false when a mounted redis.conf may
// set it.
func redisServer(s *stack.Stack, host string) (int, *rules.Location, bool) {
	sv := s.ComposeService(host)
	if sv.Service == nil {
		return redisMaxClients, nil, true
	}
	if v, span, found := stack.Option(sv.Service.Command, "maxclients"); found {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			return 0, nil, false
		}
		return n, &rules.Location{Doc: sv.File.Doc, Span: span, Message: fmt.Sprintf("%s: maxclients %d", sv.Service.Name, n)}, true
	}
	for _, v := range stack.Volumes(sv.Service) {
		if strings.Contains(v, "redis.conf") {
			return 0, nil, false
		}
	}
	return redisMaxClients, &rules.Location{Doc: sv.File.Doc, Span: sv.Service.NameSpan, Message: fmt.Sprintf("%s: Redis's default maxclients %d", sv.Service.Name, redisMaxClients)}, true
}
