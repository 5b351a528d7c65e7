// Package cache holds the rules on Django's CACHES setting for Redis:
// connection pool size (HR301) and socket timeouts (HR302).
package cache

import (
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
)

// Backend families the rules know; they take different OPTIONS keys.
const (
	djangoRedis = "django_redis.cache.RedisCache"
	djangoCore  = "django.core.cache.backends.redis.RedisCache"
)

// alias is one Redis-backed entry of CACHES.
type alias struct {
	Name    string
	Cache   *python.Object
	Backend string // djangoRedis or djangoCore
}

// aliases lists the Redis caches a settings module configures with a
// literal BACKEND.
func aliases(m *python.Module) []alias {
	caches := m.Names["CACHES"]
	if !caches.IsDict() || caches.Conditional {
		return nil
	}
	var out []alias
	for _, k := range caches.Keys() {
		c := caches.Get(k)
		if !c.IsDict() || c.Conditional {
			continue
		}
		l, ok := c.Get("BACKEND").Value().Effective()
		if !ok || l.Kind != python.Str || (l.Str != djangoRedis && l.Str != djangoCore) {
			continue
		}
		out = append(out, alias{Name: k, Cache: c, Backend: l.Str})
	}
	return out
}

// keySpan is where a finding about a whole dict points: its key where a
// literal holds it, else the expression that builds it.
func keySpan(o *python.Object) parsers.Span {
	if o.Entry != nil {
		return o.Entry.KeySpan
	}
	return o.Span()
}

func where(a alias) string { return `CACHES["` + a.Name + `"]` }

func fix(msg string, edits []rules.TextEdit, err error) []rules.Fix {
	if err != nil || len(edits) == 0 {
		return nil
	}
	return []rules.Fix{{Message: msg, Applicability: rules.Safe, Edits: edits}}
}
