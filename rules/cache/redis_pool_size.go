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
	Doc: rules.Doc{
		Title: "Redis connection pool capped below 200 per process",
		Why: `redis-py keeps a connection pool per process. When every connection of a capped
redis.ConnectionPool is in use, the next command raises "Too many connections" at
once (it does not wait; only redis.BlockingConnectionPool waits), so a limit that is
too low turns load spikes into cache errors. With django-redis the limit is
OPTIONS["CONNECTION_POOL_KWARGS"]["max_connections"]; with Django's own
django.core.cache.backends.redis.RedisCache it is OPTIONS["max_connections"].

An unset limit is not flagged: redis-py's default pool is unbounded (2**31), so the
bottleneck the report describes (an explicit limit of 100) does not exist there. The
total across processes (workers x max_connections) against Redis's maxclients is a
budget question for the cross-file rules.`,
		Impact: "better cache hit rates, fewer connection timeouts (the capacity report's estimate)",
		Fix: `Sets the explicit limit to 200 where it is written: the literal, or the default of
the environment read that supplies it. Safe: it only raises a limit the author set,
to the report's value. Caps set by an expression headroom cannot follow are reported
without a fix.`,
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
		form := ""
		switch {
		case v.Env != nil:
			form = fmt.Sprintf(" (%s)", v.Where())
		case limit.Value().Var != "":
			form = fmt.Sprintf(" (the default of $%s)", v.Var)
		}
		d := rules.Diagnostic{
			Span:    limit.Span(),
			Message: fmt.Sprintf("%s caps the Redis pool at %v connections per process%s: when all are busy redis-py raises \"Too many connections\" instead of waiting; raise it to %d", where(a), n, form, poolTarget),
		}
		if ed, err := edit.SettingSet(a.St, limit, fmt.Sprint(poolTarget)); err == nil {
			d.Fixes = fix(fmt.Sprintf("set max_connections = %d", poolTarget), []edit.TextEdit{ed}, nil)
		}
		report(pass, a, d, limit.Doc(), limit)
	}
}
