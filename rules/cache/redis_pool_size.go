package cache

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
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
		Why: `redis-py keeps a connection pool per process and takes a connection from it for
each command, putting it back when the reply is read (redis/client.py,
Redis._execute_command). When every connection of a capped pool is in use, the next
command fails: redis.ConnectionPool raises "Too many connections" at once;
redis.BlockingConnectionPool waits its timeout (20 s by default) for a free one and
then raises "No connection available.". A limit that is too low turns load spikes
into cache errors, or into requests that hang and then fail. The pool class is
OPTIONS["CONNECTION_POOL_CLASS"] with django-redis (django_redis/pool.py,
ConnectionFactory; redis.connection.ConnectionPool by default) and OPTIONS["pool_class"]
with Django's own django.core.cache.backends.redis.RedisCache; the limit is
OPTIONS["CONNECTION_POOL_KWARGS"]["max_connections"] with django-redis and
OPTIONS["max_connections"] with Django's own backend.

An unset limit (or None, or 0: redis-py reads "max_connections or its default")
depends on the pool class and on redis-py's version. BlockingConnectionPool defaults
to 50 in every release. ConnectionPool had no cap (2**31) up to 7.x; redis-py 8.0
caps it at 100 (redis/redis-py#4082), exactly the limit the capacity report warns of.
So an unset limit is flagged like an explicit 100 where the requirements prove
redis-py >= 8 (redis>=8 or redis==8.x), and not flagged where they pin an older
redis or do not show which runs: django-redis and celery/kombu pins bound redis-py
only from below (or through kombu's redis extra, which headroom does not follow).

A process never has more connections in use than it has concurrent users of the
pool: 1 for a sync worker or a prefork child, the thread count for gthread, the
greenlet count for gevent and eventlet. So the cap is flagged only where a process
that loads these settings (as the capacity model counts them) can serve more at once
than the cap, or has no bound headroom can read (an event loop under ASGI). Where no
process headroom read loads the settings, the finding is information only. The
total across processes against Redis's maxclients is HR902's budget.`,
		Impact: "better cache hit rates, fewer connection timeouts (the capacity report's estimate)",
		Fix: `Sets the limit to 200 (or to the largest per-process concurrency, when that is
higher) where it is written: the literal, or the default of the environment read that
supplies it; where it is unset, adds max_connections to CONNECTION_POOL_KWARGS
(django-redis) or OPTIONS (Django's RedisCache). Safe: it only raises the limit the
pool already had. The fix is planned against the Redis budget: it is held back when
it would take the connections the stack can hold past Redis's maxclients. Unsafe (and
the finding information only) where no process headroom read loads the settings.
Caps set by an expression headroom cannot follow are reported without a fix.`,
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
			"https://github.com/redis/redis-py/blob/v8.0.0/redis/connection.py",
			"https://github.com/redis/redis-py/blob/v7.4.0/redis/connection.py",
			"https://github.com/redis/redis-py/pull/4082",
			"https://github.com/redis/redis-py/blob/v8.0.0/redis/client.py",
			"https://github.com/jazzband/django-redis/blob/6.0.0/django_redis/pool.py",
			"https://github.com/django/django/blob/5.1/django/core/cache/backends/redis.py",
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
	m := pass.Model()
	for _, a := range aliases(pass) {
		// The pool as the model reads it: its class, and the cap written or
		// the one the class and redis-py's version give it.
		r := m.CacheUse(a.St, a.Name, a.Cache)
		if r == nil {
			continue
		}
		limit := r.CapObject
		if limit != nil && !a.St.Value(limit).Known || !r.Cap.Known || r.Cap.N >= poolTarget {
			continue
		}
		n := r.Cap.N
		need, who, any := peakConcurrency(pass, a)
		if any && need >= 0 && need <= n {
			// No process loading these settings has more concurrent users
			// of the pool than its cap: it is never exhausted.
			continue
		}
		target := max(poolTarget, need)
		v := a.St.Value(limit)
		var capText string
		if x, ok := v.Lit.Number(); limit != nil && v.Lit.Kind != python.None && ok && x > 0 {
			form := ""
			switch {
			case v.Env != nil:
				form = fmt.Sprintf(" (%s)", v.Where())
			case limit.Value().Var != "":
				form = fmt.Sprintf(" (the default of $%s)", v.Var)
			}
			capText = fmt.Sprintf("caps the Redis pool at %d connections per process%s", n, form)
		} else if limit != nil {
			// None or 0: redis-py reads "max_connections or its default".
			capText = fmt.Sprintf("sets max_connections to %s, which redis-py reads as its default, so the Redis pool is capped at %d connections per process (%s)", v.Lit.String(), n, r.Cap.From.What)
		} else {
			capText = fmt.Sprintf("leaves max_connections unset, so the Redis pool is capped at %d connections per process (%s)", n, r.Cap.From.What)
		}
		var edits []edit.TextEdit
		var err error
		if limit != nil {
			var ed edit.TextEdit
			if ed, err = edit.SettingSet(a.St, limit, fmt.Sprint(target)); err == nil {
				edits = []edit.TextEdit{ed}
			}
		} else {
			path := []string{"CACHES", a.Name, "OPTIONS"}
			if a.Backend == djangoRedis {
				path = append(path, "CONNECTION_POOL_KWARGS")
			}
			edits, err = edit.SettingsSet(a.St, path, edit.PyKV("max_connections", edit.PySrc(fmt.Sprint(target))))
		}
		busy := `redis-py raises "Too many connections" instead of waiting`
		if r.Blocking {
			busy = fmt.Sprintf(`a command waits %s for a free connection (%s), then redis-py raises "No connection available."`, r.WaitText(), r.Class)
		}
		span, at := limitSpan(a, limit)
		d := rules.Diagnostic{
			Span:    span,
			Message: fmt.Sprintf("%s %s, and %s: when all are busy %s; raise it to %d", where(a), capText, who, busy, target),
		}
		d.Fixes = fix(fmt.Sprintf("set max_connections = %d", target), edits, err)
		if !any {
			d.Severity = rules.Info
			for i := range d.Fixes {
				d.Fixes[i].Applicability = rules.Unsafe
			}
		}
		report(pass, a, d, at, limit)
	}
}

// limitSpan is where a finding on a cache's pool cap points: the cap where
// it is written, else the cache's key.
func limitSpan(a alias, limit *python.Object) (parsers.Span, *parsers.Document) {
	if limit != nil {
		return limit.Span(), limit.Doc()
	}
	return keySpan(a.Cache), a.Cache.Doc()
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
