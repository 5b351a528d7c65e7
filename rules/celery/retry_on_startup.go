package celery

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
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
when the requirements pin Celery 5.3 or later. Where the Celery app loads Django's
settings without a namespace (config_from_object("django.conf:settings")), Celery reads
them by their old upper-case names: there the setting is
BROKER_CONNECTION_RETRY_ON_STARTUP, added after the last BROKER_/CELERY setting. Safe: it states today's behaviour, so
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
	if pass.File.Python == nil {
		return
	}
	r, ok := pass.Stack.Version("celery")
	if !ok || !r.Version.Known() || !r.Version.AtLeast(5, 3) {
		return
	}
	m := pass.File.Python
	var at, after *python.Statement
	name := "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP"
	switch {
	case settingsFile(pass.Stack) == pass.File && settingsApply(pass.Stack):
		ns := namespace(pass.Stack, pass.File)
		if broker := ns.Names["CELERY_BROKER_URL"]; broker != nil && broker.Doc() == pass.File.Doc {
			at, after = broker.Stmt, lastCeleryStatement(ns, pass.File)
		}
	case oldStyleSettings(pass.Stack):
		// config_from_object("django.conf:settings") without a namespace:
		// Celery reads the settings by their old upper-case names, where
		// broker_connection_retry_on_startup is BROKER_CONNECTION_RETRY_ON_STARTUP
		// and the broker BROKER_URL. Reported at, and added after, the last
		// of the module's Celery settings.
		name = "BROKER_CONNECTION_RETRY_ON_STARTUP"
		if broker := m.Names["BROKER_URL"]; broker != nil && !broker.Conditional {
			at = lastOldStyleStatement(m)
			after = at
		}
	}
	if at == nil || after == nil {
		return
	}
	if o, _ := setting(pass.Stack, name); o != nil {
		return
	}
	pass.Report(rules.Diagnostic{
		Span:    at.Span,
		Message: fmt.Sprintf("%s is not set (Celery %s): workers warn on every start, and from Celery 6.0 one that starts before the broker exits", name, r.Version),
		Fixes: []rules.Fix{{Message: "set " + name + " = True",
			Edits: []edit.TextEdit{insertAfter(pass.Doc(), after, name+" = True")}}},
	})
}

// lastOldStyleStatement is the last module-level, unconditional statement
// binding an old-style Celery setting (BROKER_*, CELERY_*, CELERYD_*, ...).
func lastOldStyleStatement(m *python.Module) *python.Statement {
	var last *python.Statement
	for _, st := range m.Statements {
		if (strings.HasPrefix(st.Name, "CELERY") || strings.HasPrefix(st.Name, "BROKER_")) && !st.Conditional && st.Indent == "" {
			last = st
		}
	}
	return last
}

// oldStyleSettings reports whether the stack's one Celery app reads
// Django's settings without a namespace (config_from_object(
// "django.conf:settings") with no namespace argument).
func oldStyleSettings(s *stack.Stack) bool {
	acs := appConfigs(s)
	if len(acs) != 1 {
		return false
	}
	return acs[0].loadsDjangoSettings() && acs[0].NamespaceArg == nil
}
