package celery

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// SettingsNamespace is HR501.
var SettingsNamespace = &rules.Rule{
	ID:       "HR501",
	Name:     "celery-settings-namespace",
	Phase:    2,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython, parsers.KindPythonApp},
	Doc: rules.Doc{
		Title: "CELERY_ settings that the Celery app never reads",
		Why: `A Django project configures Celery in settings.py with CELERY_-prefixed names
(CELERY_BROKER_URL, CELERY_WORKER_PREFETCH_MULTIPLIER, ...). Celery reads them only when
the app module loads Django's settings with that namespace:

    app.config_from_object("django.conf:settings", namespace="CELERY")

Without the namespace, Celery looks for its own lower-case names (broker_url,
worker_prefetch_multiplier) and old upper-case ones, so every CELERY_ setting, and
every fix headroom makes to one, is silently ignored. An app module that loads
another object (a celeryconfig module) ignores Django's settings altogether.

The other Celery rules stay quiet where this one fires: their settings do not apply.`,
		Impact: "the report's Celery settings (phase 2, item 8) take effect at all",
		Fix: `Adds namespace="CELERY" to config_from_object, or corrects its value. Unsafe: settings
that the app read without the namespace (lower-case names in settings.py) stop
applying, so check them first.`,
		Bad: `# wingman/celery.py
app = Celery("wingman")
app.config_from_object("django.conf:settings")`,
		Good: `# wingman/celery.py
app = Celery("wingman")
app.config_from_object("django.conf:settings", namespace="CELERY")`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html",
			"https://docs.celeryq.dev/en/stable/reference/celery.html#celery.Celery.config_from_object",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#new-lowercase-settings",
		},
		Since: "0.2.0",
	},
	Check: checkNamespace,
}

func init() { rules.Register(SettingsNamespace) }

func checkNamespace(pass *rules.Pass) {
	if !strings.Contains(string(pass.Doc().Src), "config_from_object") {
		return
	}
	sf := settingsFile(pass.Stack)
	if sf == nil {
		return // no CELERY_ names: nothing is lost
	}
	names := celeryNames(sf.Python)
	for _, a := range appConfigs(pass.Stack) {
		if a.File != pass.File {
			continue
		}
		related := []rules.Location{{Doc: sf.Doc, Span: sf.Python.Names[names[0]].Stmt.Span, Message: fmt.Sprintf("%d CELERY_ settings here, such as %s", len(names), names[0])}}
		switch {
		case a.Object == "":
			continue // an object headroom cannot read
		case !a.loadsDjangoSettings():
			pass.Report(rules.Diagnostic{
				Span:    a.Call.Span,
				Message: fmt.Sprintf("the Celery app loads its configuration from %q, not Django's settings: the CELERY_ settings of %s are ignored", a.Object, sf.Doc.Path),
				Related: related,
			})
		case !a.HasNamespace && a.NamespaceArg != nil:
			continue // a namespace computed at run time
		case !a.HasNamespace:
			ed := edit.PythonInsertArg(pass.Doc(), a.Call.Call, "namespace", quote(a, "CELERY"))
			pass.Report(rules.Diagnostic{
				Span:    a.Call.Span,
				Message: fmt.Sprintf("config_from_object(%q) has no namespace=\"CELERY\": Celery ignores the CELERY_ settings of %s (it reads lower-case names)", a.Object, sf.Doc.Path),
				Related: related,
				Fixes:   []rules.Fix{{Message: `add namespace="CELERY"`, Applicability: rules.Unsafe, Edits: []edit.TextEdit{ed}}},
			})
		case a.Namespace != "CELERY":
			pass.Report(rules.Diagnostic{
				Span:    a.NamespaceArg.Value.Span,
				Message: fmt.Sprintf("config_from_object reads settings named %s_*, but %s names them CELERY_*: they are ignored", a.Namespace, sf.Doc.Path),
				Related: related,
				Fixes: []rules.Fix{{Message: `set namespace="CELERY"`, Applicability: rules.Unsafe,
					Edits: []edit.TextEdit{pass.Edit(a.NamespaceArg.Value.Span, quote(a, "CELERY"))}}},
			})
		}
	}
}

// quote renders a string literal with the quote the call's first argument
// uses.
func quote(a appConfig, s string) string {
	q := byte('"')
	if arg := a.Call.Positional(0); arg != nil && arg.Value.Value.Lit.Quote != 0 {
		q = arg.Value.Value.Lit.Quote
	}
	return string(q) + s + string(q)
}
