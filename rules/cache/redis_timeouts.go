package cache

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// RedisTimeouts is HR302.
var RedisTimeouts = &rules.Rule{
	ID:       "HR302",
	Name:     "redis-timeouts",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "Redis cache without socket connect and read timeouts",
		Why: `Before 8.0, redis-py sockets have no timeout by default: when Redis stalls, is
unreachable or a network path drops packets, every request that touches the cache
blocks its worker until the OS gives up (minutes for a connect, forever for a read on
a half-open connection). A cache should fail fast so the view can fall back to the
database. redis-py 8.0 (redis/redis-py#4082) defaults both socket_timeout and
socket_connect_timeout to 5 s (redis/_defaults.py), and django-redis passes its
SOCKET_* options only when they are set (django_redis/pool.py,
make_connection_params), so where the requirements prove redis-py >= 8 (redis>=8 or
redis==8.x) the rule is quiet: the default already fails fast (unless the configured
target is below 5 s). Where they pin an older redis the message says so; where they
do not show which redis-py runs, it says that the default depends on it.

The keys depend on the BACKEND:
- django-redis (django_redis.cache.RedisCache): SOCKET_CONNECT_TIMEOUT and
  SOCKET_TIMEOUT, top-level OPTIONS keys.
- Django's own django.core.cache.backends.redis.RedisCache: lower-case redis-py
  arguments directly in OPTIONS, socket_connect_timeout and socket_timeout.
  django-redis's upper-case keys there are passed on to redis-py and break it.
Timeouts given as lower-case socket_* keys in django-redis's CONNECTION_POOL_KWARGS
also reach the connections, and count as set.`,
		Impact: "fewer connection timeouts: no worker hangs on a stalled cache (the capacity report's Redis change)",
		Fix: `Adds the missing timeouts, 5 seconds each, with the key set the BACKEND takes, in the
author's form (new OPTIONS keys beside the existing ones, or an OPTIONS dict where
there is none). Safe: a cache call that would have hung fails after 5 s instead (on
redis-py 8 it writes down the default it already has).
Upper-case django-redis keys under Django's own RedisCache are reported as errors
without a fix.`,
		Bad: `CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}`,
		Good: `CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
    }
}`,
		Sources: []string{
			"https://github.com/jazzband/django-redis#socket-timeout",
			"https://docs.djangoproject.com/en/stable/topics/cache/#redis",
			"https://redis.readthedocs.io/en/stable/connections.html#generic-client",
			"https://github.com/redis/redis-py/blob/v8.0.0/redis/_defaults.py",
			"https://github.com/redis/redis-py/blob/v7.4.0/redis/connection.py",
			"https://github.com/redis/redis-py/pull/4082",
			"https://github.com/jazzband/django-redis/blob/6.0.0/django_redis/pool.py",
		},
		Since: "0.1.0",
	},
	Check: checkTimeouts,
}

func init() { rules.Register(RedisTimeouts) }

func checkTimeouts(pass *rules.Pass) {
	timeout := strconv.Itoa(pass.Targets.RedisSocketTimeout)
	if pass.File.Python == nil {
		return
	}
	// redis-py 8.0 gives every socket a 5 s connect and read timeout
	// (redis/_defaults.py); before it, none. django-redis passes its
	// SOCKET_* options only when set (django_redis/pool.py,
	// make_connection_params), so the default is what runs without them.
	rp := pass.Model().RedisPy()
	if rp.AtLeast8 && pass.Targets.RedisSocketTimeout >= capacity.RedisPy8SocketWait {
		return
	}
	because := fmt.Sprintf("redis-py before 8.0 sets no socket timeout (8.0 defaults to %d s) and the requirements do not show which redis-py runs, so", capacity.RedisPy8SocketWait)
	switch {
	case rp.Below8:
		because = fmt.Sprintf("redis-py before 8.0 (%s) sets no socket timeout, so", rp.From)
	case rp.AtLeast8:
		because = fmt.Sprintf("redis-py 8's %d s default is above the %s s target, so", capacity.RedisPy8SocketWait, timeout)
	}
	for _, a := range aliases(pass) {
		opts := a.Cache.Get("OPTIONS")
		if opts != nil && (!opts.IsDict() || opts.Open) || opts == nil && a.Cache.Open {
			continue
		}
		keys := []string{"SOCKET_CONNECT_TIMEOUT", "SOCKET_TIMEOUT"}
		if a.Backend == djangoCore {
			keys = []string{"socket_connect_timeout", "socket_timeout"}
			for _, k := range []string{"SOCKET_CONNECT_TIMEOUT", "SOCKET_TIMEOUT", "CONNECTION_POOL_KWARGS", "CLIENT_CLASS"} {
				if o := opts.Get(k); o != nil {
					report(pass, a, rules.Diagnostic{
						Span:     keySpan(o),
						Severity: rules.Error,
						Message:  fmt.Sprintf("%s: %s is a django-redis option; Django's own RedisCache passes OPTIONS to redis-py, which rejects it (use lower-case redis-py arguments)", where(a), k),
					}, o.Doc(), o)
				}
			}
		}
		pool := opts.Get("CONNECTION_POOL_KWARGS")
		var missing []edit.PyEntry
		var names []string
		for _, k := range keys {
			if opts.Get(k) != nil || a.Backend == djangoRedis && pool.Get(strings.ToLower(k)) != nil {
				continue
			}
			missing = append(missing, edit.PyKV(k, edit.PySrc(timeout)))
			names = append(names, k)
		}
		if len(missing) == 0 {
			continue
		}
		span, at := keySpan(a.Cache), a.Cache.Doc()
		if opts != nil {
			span, at = keySpan(opts), opts.Doc()
		}
		edits, err := edit.SettingsSet(a.St, []string{"CACHES", a.Name, "OPTIONS"}, missing...)
		report(pass, a, rules.Diagnostic{
			Span:    span,
			Message: fmt.Sprintf("%s has no %s: %s a stalled or unreachable Redis blocks every worker that touches the cache; set %s s", where(a), strings.Join(names, " / "), because, timeout),
			Fixes:   fix("add "+strings.Join(names, " = "+timeout+", ")+" = "+timeout, edits, err),
		}, at, opts)
	}
}
