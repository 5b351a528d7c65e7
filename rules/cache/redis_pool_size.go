package cache

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// RedisPoolSize is HR301.
var RedisPoolSize = &rules.Rule{
	ID:       "HR301",
	Name:     "redis-pool-size",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "Redis connection pool capped below 200 per process",
		Why: `redis-py keeps a connection pool per process. When every connection of a capped
redis.ConnectionPool is in use, the next command raises "Too many connections" at
once (it does not wait; only redis.BlockingConnectionPool waits), so a limit that is
too low turns load spikes into cache errors. With django-redis the limit is
OPTIONS["CONNECTION_POOL_KWARGS"]["max_connections"]; with Django's own
django.core.cache.backends.redis.RedisCache it is OPTIONS["max_connections"].

An unset limit is not flagged: redis-py's default pool is unbounded (2**31), so the
bottleneck the report describes (an explicit limit of 100) does not exist there. 
A process never has more connections in use than it has concurrent users of the
pool: 1 for a sync worker or a prefork child, the thread count for gthread, the
greenlet count for gevent and eventlet. So the cap is flagged only where a process
that loads these settings (as the capacity model counts them) can serve more at once
than the cap, or has no bound headroom can read (an event loop under ASGI). Where no
process headroom read loads the settings, the finding is information only. The
total across processes against Redis's maxclients is HR902's budget.`,
		Impact: "better cache hit rates, fewer connection timeouts (the capacity report's estimate)",
		Fix: `Sets the explicit limit to 200 (or to the largest per-process concurrency, when that
is higher) where it is written: the literal, or the default of the environment read
that supplies it. Safe: it only raises a limit the author set. The fix is planned
against the Redis budget: it is held back when it would take the connections the
stack can hold past Redis's maxclients. Unsafe (and the finding information only)
where no process headroom read loads the settings. Caps set by an expression
headroom cannot follow are reported without a fix.`,
		Bad: `CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CONNECTION_POOL_KWARGS": {"max_connections": 100, "retry_on_timeout": True},
        },
    }
}`,
		Good: `CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {
            "CONNECTION_POOL_KWARGS": {"max_connections": 200, "retry_on_timeout": True},
        },
    }
}`,
		Sources: []string{
			"https://github.com/jazzband/django-redis#configure-as-cache-backend",
			"https://docs.djangoproject.com/en/stable/topics/cache/#redis",
			"https://redis.readthedocs.io/en/stable/connections.html#connection-pools",
			"https://github.com/redis/redis-py/blob/master/redis/connection.py",
			"https://docs.gunicorn.org/en/stable/design.html#server-model",
			"https://docs.celeryq.dev/en/stable/userguide/workers.html#concurrency",
		},
		Since: "0.1.0",
	},
	Check: checkPoolSize,
}

func init() { rules.Register(RedisPoolSize) }

func checkPoolSize(pass *rules.Pass) {
	poolTarget := pass.Targets.RedisMaxConnections
	if pass.File.Python == nil {
		return
	}
	for _, a := range aliases(pass) {
		path := []string{"CACHES", a.Name, "OPTIONS"}
		if a.Backend == djangoRedis {
			path = append(path, "CONNECTION_POOL_KWARGS")
		}
		limit := a.St.NS.Lookup(path[0], path[1:]...).Get("max_connections")
		if limit == nil {
			continue
		}
		v := a.St.Value(limit)
		if !v.Known {
			continue
		}
		n, isNum := v.Lit.Number()
		if !isNum || n >= float64(poolTarget) {
			continue
		}
		need, who, any := peakConcurrency(pass, a)
		if any && need >= 0 && float64(need) <= n {
			// No process loading these settings has more concurrent users
			// of the pool than its cap: "Too many connections" cannot happen.
			continue
		}
		target := poolTarget
		if need > target {
			target = need
		}
		form := ""
		switch {
		case v.Env != nil:
			form = fmt.Sprintf(" (%s)", v.Where())
		case limit.Value().Var != "":
			form = fmt.Sprintf(" (the default of $%s)", v.Var)
		}
		d := rules.Diagnostic{
			Span:    limit.Span(),
			Message: fmt.Sprintf("%s caps the Redis pool at %v connections per process%s, and %s: when all are busy redis-py raises \"Too many connections\" instead of waiting; raise it to %d", where(a), n, form, who, target),
		}
		if ed, err := edit.SettingSet(a.St, limit, fmt.Sprint(target)); err == nil {
			d.Fixes = fix(fmt.Sprintf("set max_connections = %d", target), []edit.TextEdit{ed}, nil)
			if !any {
				d.Severity = rules.Info
				d.Fixes[0].Applicability = rules.Unsafe
			}
		}
		report(pass, a, d, limit.Doc(), limit)
	}
}

// peakConcurrency is the most concurrent users of one process's pool among
// the processes the capacity model sees loading a's settings: each uses at
// most one connection per request, task or greenlet it serves at once
// (redis-py only raises when connections in use exceed the cap). need is -1
// when a process's concurrency has no bound headroom can read (an event
// loop); who says which process, for the message; any is false when no
// process headroom read loads these settings.
func peakConcurrency(pass *rules.Pass, a alias) (need int, who string, any bool) {
	for _, u := range pass.Model().Units {
		if u.Settings == nil || u.Settings.Module != a.St.Module {
			continue
		}
		any = true
		c := u.Concurrency
		switch {
		case need < 0:
		case !c.Known:
			need, who = -1, fmt.Sprintf("%s serves concurrent requests without a bound headroom can read (%s)", u.Label(), c.From.What)
		case c.N > need:
			need, who = c.N, fmt.Sprintf("%s serves up to %d at once per process (%s)", u.Label(), c.N, c.From)
		}
	}
	if !any {
		who = "no process headroom read loads these settings, so it cannot tell whether any has more concurrent users than that"
	}
	return need, who, any
}
