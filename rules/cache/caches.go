// Package cache holds the rules on Django's CACHES setting for Redis:
// connection pool size (HR301) and socket timeouts (HR302).
package cache

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Backend families the rules know; they take different OPTIONS keys.
const (
	djangoRedis = "django_redis.cache.RedisCache"
	djangoCore  = "django.core.cache.backends.redis.RedisCache"
)

// alias is one Redis-backed entry of CACHES, as the settings Django runs
// with hold it.
type alias struct {
	Name    string
	Cache   *python.Object
	Backend string // djangoRedis or djangoCore
	St      *stack.Settings
	Cond    bool // bound under a condition: may not be what runs
}

// aliases lists the Redis caches configured with a BACKEND the settings
// Django runs with when it loads the pass's module give a known value.
func aliases(pass *rules.Pass) []alias {
	var out []alias
	for _, st := range pass.Stack.SettingsFor(pass.File) {
		caches := st.NS.Names["CACHES"]
		if !caches.IsDict() {
			continue
		}
		for _, k := range caches.Keys() {
			c := caches.Get(k)
			if !c.IsDict() {
				continue
			}
			v := st.Value(c.Get("BACKEND"))
			if !v.Known || v.Lit.Kind != python.Str || (v.Lit.Str != djangoRedis && v.Lit.Str != djangoCore) {
				continue
			}
			out = append(out, alias{Name: k, Cache: c, Backend: v.Lit.Str, St: st, Cond: caches.Conditional || c.Conditional})
		}
	}
	return out
}

// report records d in the file at (which decides the value), noting the
// settings module it is judged for when that is another file, and as
// information with unsafe fixes when the value is bound under a condition.
func report(pass *rules.Pass, a alias, d rules.Diagnostic, at *parsers.Document, o *python.Object) {
	if at != nil {
		d.Doc = at
	}
	note, rel := rules.SettingsContext(pass, a.St, d.Doc)
	d.Message += note
	d.Related = append(d.Related, rel...)
	if a.Cond || o != nil && o.Conditional {
		if o == nil || !o.Conditional {
			o = a.Cache
		}
		d.Severity = rules.Info
		d.Message += fmt.Sprintf("; conditional: set under a condition (%s line %d), so only if that branch runs", o.Doc().Path, o.Doc().Position(o.Stmt.Span.Start).Line)
		for i := range d.Fixes {
			d.Fixes[i].Applicability = rules.Unsafe
		}
	}
	pass.Report(d)
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

func fix(msg string, edits []edit.TextEdit, err error) []rules.Fix {
	if err != nil || len(edits) == 0 {
		return nil
	}
	return []rules.Fix{{Message: msg, Applicability: rules.Safe, Edits: edits}}
}
