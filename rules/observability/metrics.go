package observability

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// Metrics is HR801.
var Metrics = &rules.Rule{
	ID:       "HR801",
	Name:     "django-metrics",
	Phase:    3,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "The Django app exports no metrics",
		Why: `Without request rates, latencies per view, database and cache timings, the first sign
of a capacity limit is users' complaints, and no change of this report can be measured.
django-prometheus exports them for Prometheus: "django_prometheus" in INSTALLED_APPS,
PrometheusBeforeMiddleware first in MIDDLEWARE and PrometheusAfterMiddleware last, and
its URLs (path("", include("django_prometheus.urls"))) for /metrics.

An app server started under an APM agent (ddtrace-run, newrelic-admin,
opentelemetry-instrument) has metrics of its own and is not flagged.`,
		Impact: "the report's monitoring list: request queue, pool usage, response-time distribution",
		Fix: `None: it needs the django-prometheus package, the URL include and a scraper, which
are the project's decisions. The finding names what is missing.`,
		Bad: `INSTALLED_APPS = ["django.contrib.admin", "rest_framework"]`,
		Good: `INSTALLED_APPS = ["django_prometheus", "django.contrib.admin", "rest_framework"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # ...
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]`,
		Sources: []string{
			"https://github.com/korfuri/django-prometheus#quickstart",
			"https://docs.djangoproject.com/en/stable/ref/settings/#middleware",
		},
		Since: "0.2.0",
	},
	Check: checkMetrics,
}

func init() { rules.Register(Metrics) }

func checkMetrics(pass *rules.Pass) {
	f, apps := appsModule(pass.Stack)
	if f != pass.File || apmWrapped(pass.Stack) {
		return
	}
	if !strings.Contains(settingText(pass.Stack, "INSTALLED_APPS"), "django_prometheus") {
		pass.Reportf(apps.Stmt.Span, "no metrics: django_prometheus is not in INSTALLED_APPS (nor its middleware in MIDDLEWARE), so request rates and latencies are not exported")
		return
	}
	mw := settingText(pass.Stack, "MIDDLEWARE")
	var missing []string
	for _, m := range []string{"PrometheusBeforeMiddleware", "PrometheusAfterMiddleware"} {
		if !strings.Contains(mw, m) {
			missing = append(missing, "django_prometheus.middleware."+m)
		}
	}
	if len(missing) > 0 {
		span := apps.Stmt.Span
		if o := f.Python.Names["MIDDLEWARE"]; o != nil && o.Stmt != nil {
			span = o.Stmt.Span
		}
		pass.Reportf(span, "django_prometheus is installed but MIDDLEWARE lacks %s: request metrics are not counted", strings.Join(missing, " and "))
	}
}
