package celery

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// RetryOnStartup is HR503.
var RetryOnStartup = &rules.Rule{
	ID:       "HR503",
	Name:     "celery-broker-retry-on-startup",
	Phase:    2,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is not set (Celery 5.3 and later)",
		Why: `Celery 5.3 split the broker retry setting in two: broker_connection_retry for
connections lost while running, broker_connection_retry_on_startup for the first
connection. Left unset, the start-up case still follows broker_connection_retry, with a
CPendingDeprecationWarning on every worker start saying that this will stop in Celery
6.0. Then a worker that starts before Redis is ready (compose starts them together)
exits instead of retrying.

CELERY_BROKER_CONNECTION_RETRY = True, which the report adds, is the default: writing
it changes nothing, so headroom does not. Before Celery 5.3 the setting does not exist
and the rule stays quiet.`,
		Impact: "workers survive a broker that starts after them (the report's phase 2, item 8)",
		Fix: `Adds CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True after the last CELERY_ setting
when the requirements pin Celery 5.3 or later. Safe: it states today's behaviour, so
the upgrade to 6.0 does not change it.`,
		Bad: `CELERY_BROKER_URL = "redis://redis:6379/0"`,
		Good: `CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-connection-retry-on-startup",
			"https://docs.celeryq.dev/en/stable/history/whatsnew-5.3.html",
			"https://github.com/celery/celery/blob/main/celery/worker/consumer/consumer.py",
		},
		Since: "0.2.0",
	},
	Check: checkRetryOnStartup,
}

func init() { rules.Register(RetryOnStartup) }

func checkRetryOnStartup(pass *rules.Pass) {
	if settingsFile(pass.Stack) != pass.File || !settingsApply(pass.Stack) {
		return
	}
	if o, _ := setting(pass.Stack, "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP"); o != nil {
		return
	}
	r, ok := pass.Stack.Version("celery")
	if !ok || !r.Version.Known() || !r.Version.AtLeast(5, 3) {
		return
	}
	m := pass.File.Python
	broker := m.Names["CELERY_BROKER_URL"]
	if broker == nil {
		return
	}
	last := lastCeleryStatement(m)
	pass.Report(rules.Diagnostic{
		Span:    broker.Stmt.Span,
		Message: fmt.Sprintf("CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is not set (Celery %s): workers warn on every start, and from Celery 6.0 one that starts before the broker exits", r.Version),
		Fixes: []rules.Fix{{Message: "set CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True",
			Edits: []edit.TextEdit{insertAfter(pass.Doc(), last, "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True")}}},
	})
}
