package queries

import (
	"fmt"
	"path"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// ReferenceCache is HR212.
var ReferenceCache = &rules.Rule{
	ID:       "HR212",
	Name:     "django-uncached-reference-data",
	Phase:    2,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindPythonApp},
	Doc: rules.Doc{
		Title: "Reference data is read from the database on every request",
		Why: `Small reference tables (tones, categories, plans: a model with an is_active flag and
no relation to users) change when an administrator edits them, yet a view that lists
them with constant filters (is_active=True) runs the same query on every request. Each
one is a connection checkout and a round trip that a cache hit answers from Redis
without touching PostgreSQL; on a busy endpoint they are a steady share of the
database's load for data that did not change.

headroom reports querysets over such models, with only literal filters, in views and
serializers, where the enclosing function neither uses django.core.cache nor is
decorated with a cache (cache_page, cached_property, lru_cache).`,
		Impact: "the report's phase 2 query-result caching: cache hits from 30-40% towards 70-80%",
		Fix: `No automatic fix: what to cache, for how long, and when to invalidate are the author's
choice. The pattern (Django's cache API; there is no cache_result decorator in
django.views.decorators.cache, whatever the report says):

    from django.core.cache import cache

    tones = cache.get_or_set(
        "active_tones",
        lambda: list(Tone.objects.filter(is_active=True).values("id", "name", "description")),
        3600,
    )

and delete the key where a Tone is saved (a post_save/post_delete signal or the admin's
save_model). A viewset whose queryset is reference data can cache its list response
with @method_decorator(cache_page(3600), name="list") instead.`,
		Bad: `@action(detail=False)
def options(self, request):
    tones = list(Tone.objects.filter(is_active=True).values("id", "name"))
    return Response({"tones": tones})`,
		Good: `@action(detail=False)
def options(self, request):
    tones = cache.get_or_set(
        "active_tones",
        lambda: list(Tone.objects.filter(is_active=True).values("id", "name")),
        3600,
    )
    return Response({"tones": tones})`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/topics/cache/#basic-usage",
			"https://docs.djangoproject.com/en/stable/topics/cache/#django.core.caches.cache.get_or_set",
			"https://docs.djangoproject.com/en/stable/topics/cache/#the-per-view-cache",
			"https://docs.djangoproject.com/en/stable/topics/class-based-views/intro/#decorating-the-class",
			"https://www.django-rest-framework.org/api-guide/caching/",
		},
		Since: "0.2.0",
	},
	Check: checkReferenceCache,
}

func init() { rules.Register(ReferenceCache) }

// activeFlags are the boolean fields that mark reference rows in use.
var activeFlags = map[string]bool{"is_active": true, "active": true, "enabled": true, "is_enabled": true, "is_visible": true, "is_published": true}

// referenceFlag returns the model's active flag when the model looks like
// reference data: such a flag and no relation to the user model.
func referenceFlag(apps *stack.Apps, m *stack.Model) string {
	flag := ""
	for _, f := range m.Fields {
		if f.Rel != stack.NoRel && f.Target == apps.UserModel {
			return ""
		}
		if activeFlags[f.Name] && (f.Type == "BooleanField" || f.Type == "NullBooleanField") {
			flag = f.Name
		}
	}
	return flag
}

// requestModule: views and serializers run per request.
func requestModule(p string) bool {
	base := strings.TrimSuffix(path.Base(p), ".py")
	dir := path.Base(path.Dir(p))
	for _, n := range []string{"views", "viewsets", "serializers"} {
		if base == n || dir == n {
			return true
		}
	}
	return false
}

// constantFilter reports whether every filter of the query is a literal
// and one of them is on flag.
func constantFilter(q *query, flag string) bool {
	onFlag := false
	for _, l := range q.Links {
		switch l.Name {
		case "filter", "exclude", "get":
			for _, a := range l.Call.Args {
				if a.Name == "" || a.Value.Value.Kind != python.Literal {
					return false
				}
				onFlag = onFlag || a.Name == flag
			}
		}
	}
	return onFlag
}

// cached reports whether decorators or calls in scope show a cache.
func cached(sc scope) bool {
	hasCache := func(es []*python.Expr) bool {
		for _, e := range es {
			name := e.Name
			if e.Call != nil {
				name = e.Call.Func
				for _, a := range e.Call.Args {
					if a.Value.Call != nil && strings.Contains(a.Value.Call.Func, "cache") {
						return true
					}
				}
			}
			if strings.Contains(name, "cache") {
				return true
			}
		}
		return false
	}
	if sc.fn != nil {
		if hasCache(sc.fn.Decorators) {
			return true
		}
		for _, ch := range sc.fn.Chains {
			if ch.Root == "cache" || ch.Root == "caches" {
				return true
			}
		}
		return false
	}
	if sc.cls != nil {
		if hasCache(sc.cls.Decorators) {
			return true
		}
		if l := sc.cls.Method("list"); l != nil && hasCache(l.Decorators) {
			return true
		}
	}
	return false
}

func checkReferenceCache(pass *rules.Pass) {
	if !requestModule(pass.Doc().Path) {
		return
	}
	apps := pass.Stack.Apps()
	app := path.Base(path.Dir(pass.Doc().Path))
	eachScope(apps, pass.File, func(sc scope, chains []*python.Chain) {
		if sc.fn == nil {
			// At class level only a view's queryset runs per request.
			if sc.view == nil || sc.view.Class != sc.cls {
				return
			}
			if at := sc.cls.Attr("queryset"); at != nil && at.Value.Chain != nil {
				chains = []*python.Chain{at.Value.Chain}
			} else {
				return
			}
		}
		if cached(sc) {
			return
		}
		for _, ch := range chains {
			q := resolve(apps, app, ch, sc, 0)
			if q == nil || q.Model.Class == nil {
				continue
			}
			flag := referenceFlag(apps, q.Model)
			if flag == "" || !constantFilter(q, flag) {
				continue
			}
			span := ch.Span
			span.End = min(span.End, lineEndOf(pass.Doc(), span.Start))
			m := q.Model.Name
			key := strings.ToLower(m) + "s"
			if flag != "" {
				key = "active_" + key
			}
			msg := fmt.Sprintf("%s reads %s, reference data, from the database on every request: cache it with django.core.cache.cache.get_or_set(%q, lambda: list(...), timeout) and delete the key when a %s is saved",
				pass.Doc().Text(span), m, key, m)
			if sc.fn == nil {
				msg = fmt.Sprintf("%s lists %s, reference data, from the database on every request: cache the list response (@method_decorator(cache_page(timeout), name=\"list\")) or the rows (django.core.cache.cache.get_or_set), and invalidate when a %s is saved",
					sc.cls.Name, m, m)
			}
			pass.Report(rules.Diagnostic{Span: span, Message: msg,
				Related: []rules.Location{{Doc: q.Model.File.Doc, Span: q.Model.Class.NameSpan, Message: "model " + m}}})
		}
	})
}
