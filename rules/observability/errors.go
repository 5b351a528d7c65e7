package observability

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// ErrorTracking is HR802.
var ErrorTracking = &rules.Rule{
	ID:       "HR802",
	Name:     "error-tracking",
	Phase:    3,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "No error tracking (Sentry or an APM agent)",
		Why: `Under load, failures are timeouts, pool exhaustion and "too many clients" errors in
a few requests out of thousands; in container logs they scroll away. An error tracker
groups them with their stack traces and request context. Sentry's Django integration
is sentry_sdk.init(dsn=..., integrations=[...]) in settings (it also captures Celery
task failures); Rollbar, Bugsnag, Honeybadger middleware or an APM agent wrapping the
app server (ddtrace-run, newrelic-admin) do the same job and count.`,
		Impact: "the report's monitoring list: error rate (5xx, 4xx)",
		Fix:    `None: it needs the SDK in the requirements and a DSN, which are the project's.`,
		Bad:    `# settings.py without sentry_sdk.init`,
		Good: `import sentry_sdk

sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), traces_sample_rate=0.05)`,
		Sources: []string{
			"https://docs.sentry.io/platforms/python/integrations/django/",
			"https://docs.sentry.io/platforms/python/integrations/celery/",
		},
		Since: "0.2.0",
	},
	Check: checkErrorTracking,
}

func init() { rules.Register(ErrorTracking) }

var trackers = []string{"rollbar", "bugsnag", "honeybadger", "airbrake", "raygun", "elasticapm"}

func checkErrorTracking(pass *rules.Pass) {
	f, apps := appsModule(pass.Stack)
	if f != pass.File || apmWrapped(pass.Stack) {
		return
	}
	conf := settingText(pass.Stack, "INSTALLED_APPS") + settingText(pass.Stack, "MIDDLEWARE")
	for _, t := range trackers {
		if strings.Contains(conf, t) {
			return
		}
	}
	for _, sf := range pass.Stack.Files {
		if sf.Python == nil || !strings.Contains(string(sf.Doc.Src), "sentry_sdk") {
			continue
		}
		code, err := sf.Python.Code()
		if err != nil {
			continue
		}
		for _, c := range code.Calls {
			if c.Func == "sentry_sdk.init" || (c.Method == "init" && strings.HasSuffix(c.ReceiverName, "sentry_sdk")) {
				return
			}
		}
	}
	pass.Reportf(apps.Stmt.Span, "no error tracking: nothing calls sentry_sdk.init (nor installs another tracker), so errors under load are only in container logs")
}
