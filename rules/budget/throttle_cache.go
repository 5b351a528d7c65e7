package budget

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// ThrottleCache is HR701. It lives here rather than with the other
// throttling rules because it is a fact about the whole stack: a
// per-process cache is only wrong where more than one process counts.
var ThrottleCache = &rules.Rule{
	ID:       "HR701",
	Name:     "drf-throttle-cache",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "DRF throttling counts in a cache that is not shared between processes",
		Why: `Django REST framework's throttles keep their request counts in Django's "default"
cache. Where that cache is per-process memory (LocMemCache, also Django's default when
CACHES is not set) every gunicorn worker, Daphne process and replica counts on its own:
with 8 workers a "60/minute" rate lets up to 480 requests a minute through, differently
for each client depending on which worker it reaches. DummyCache stores nothing, so
throttling never triggers at all; a FileBasedCache is shared only by processes that see
the same folder (not by other containers or replicas). The rule fires when
DEFAULT_THROTTLE_CLASSES names a throttle class and the stack runs more than one web
process.`,
		Impact: "rate limits are multiplied by the number of processes, so the limits the report's phase 3 tiers set do not hold",
		Fix: `No automatic fix: point CACHES["default"] at the shared Redis (django-redis or
django.core.cache.backends.redis.RedisCache), or give the throttles a shared cache of
their own (a throttle subclass with cache = caches["throttle"]).`,
		Bad: `REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"]}
# no CACHES: LocMemCache per process`,
		Good: `CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                       "LOCATION": "redis://redis:6379/1"}}`,
		Sources: []string{
			"https://www.django-rest-framework.org/api-guide/throttling/#setting-up-the-cache",
			"https://docs.djangoproject.com/en/stable/topics/cache/#local-memory-caching",
			"https://docs.djangoproject.com/en/stable/topics/cache/#dummy-caching-for-development",
		},
		Since: "0.1.0",
	},
	Check: checkThrottleCache,
}

func init() { rules.Register(ThrottleCache) }

var throttleClass = regexp.MustCompile(`Throttle\b`)

func checkThrottleCache(pass *rules.Pass) {
	m := pass.File.Python
	if m == nil {
		return
	}
	classes := m.Lookup("REST_FRAMEWORK", "DEFAULT_THROTTLE_CLASSES")
	if classes == nil || classes.Conditional || classes.Expr == nil || !throttleClass.MatchString(pass.Doc().Text(classes.Expr.Span)) {
		return
	}
	if _, inModule := m.Names["CACHES"]; !inModule && len(m.StarImports) > 0 {
		return // CACHES may come from the star import
	}
	backend := "django.core.cache.backends.locmem.LocMemCache"
	state := "CACHES is not set, so the default cache is Django's LocMemCache"
	var rel []rules.Location
	if caches := m.Names["CACHES"]; caches != nil {
		def := caches.Get("default")
		b, ok := str(def.Get("BACKEND"))
		if !ok || caches.Conditional || def.Conditional {
			return
		}
		backend = b
		state = `CACHES["default"] is ` + b[strings.LastIndexByte(b, '.')+1:]
		rel = append(rel, rules.Location{Doc: pass.Doc(), Span: def.Get("BACKEND").Span(), Message: "the default cache"})
	}
	var effect string
	switch {
	case strings.HasSuffix(backend, "LocMemCache"):
		effect = "each process counts separately, so every rate is multiplied by the number of processes"
	case strings.HasSuffix(backend, "DummyCache"):
		effect = "it stores nothing, so no throttle ever triggers"
	case strings.HasSuffix(backend, "FileBasedCache"):
		effect = "only processes sharing that folder count together; other containers and replicas count separately"
	default:
		return
	}
	procs := 0
	for _, u := range pass.Model().Web() {
		procs += u.Total()
		rel = append(rel, rules.Location{Doc: u.Doc, Span: u.Argv.Span, Message: fmt.Sprintf("%s: %s serving requests", u.Service, text.Plural(u.Total(), "process"))})
	}
	if procs < 2 && !strings.HasSuffix(backend, "DummyCache") {
		return
	}
	pass.Report(rules.Diagnostic{
		Span:    keySpan(classes),
		Message: fmt.Sprintf("DRF throttling is on but %s: %s (%s serve requests)", state, effect, text.Plural(procs, "process")),
		Related: rel,
	})
}
