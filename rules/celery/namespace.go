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
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "CELERY_ settings that the Celery app never reads",
		Why: `A Django project configures Celery in settings.py with CELERY_-prefixed names
(CELERY_BROKER_URL, CELERY_WORKER_PREFETCH_MULTIPLIER, ...). Celery reads them only when
the app module loads Django's settings with that namespace:

    app.config_from_object("django.conf:settings", namespace="CELERY")

Without the namespace, Celery looks for its own lower-case names (broker_url,
worker_prefetch_multiplier) and its pre-4.0 upper-case ones. Some of those old names
start with CELERY_ (CELERY_RESULT_BACKEND, CELERY_TASK_SERIALIZER, CELERY_ACCEPT_CONTENT,
CELERY_TIMEZONE, CELERY_ACKS_LATE, CELERY_IGNORE_RESULT: the table celery/app/defaults.py
builds from each option's old names), and those are still read. Every other CELERY_
name, CELERY_BROKER_URL (the old name is BROKER_URL) and the new names with the prefix
(CELERY_TASK_ACKS_LATE, CELERY_WORKER_PREFETCH_MULTIPLIER) among them, is silently
ignored, and so is every fix headroom makes to one. The rule reports only those, and
is quiet where every CELERY_ name is an old one Celery reads. An app module that loads
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
			"https://github.com/celery/celery/blob/v5.5.0/celery/app/defaults.py",
			"https://github.com/celery/celery/blob/v5.5.0/celery/app/utils.py",
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
	sns := namespace(pass.Stack, sf)
	names := celeryNames(sns, sf)
	for _, a := range appConfigs(pass.Stack) {
		if a.File != pass.File {
			continue
		}
		related := []rules.Location{{Doc: sf.Doc, Span: sns.Names[names[0]].Stmt.Span, Message: fmt.Sprintf("%d CELERY_ settings here, such as %s", len(names), names[0])}}
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
			// Without a namespace Celery still reads its old upper-case
			// names, CELERY_RESULT_BACKEND among them: only the others are
			// lost.
			var ignored, read []string
			for _, n := range names {
				if _, old := oldKeys[n]; old {
					read = append(read, n)
				} else {
					ignored = append(ignored, n)
				}
			}
			if len(ignored) == 0 {
				continue
			}
			related[0] = rules.Location{Doc: sf.Doc, Span: sf.Python.Names[ignored[0]].Stmt.Span, Message: fmt.Sprintf("%d CELERY_ settings Celery does not read here, such as %s", len(ignored), ignored[0])}
			msg := fmt.Sprintf("config_from_object(%q) has no namespace=\"CELERY\": Celery ignores %s of %s (without a namespace it reads lower-case names and its old upper-case ones only)", a.Object, plural(ignored), sf.Doc.Path)
			if len(read) > 0 {
				msg += fmt.Sprintf("; it still reads %s, under their old names", plural(read))
			}
			ed := edit.PythonInsertArg(pass.Doc(), a.Call.Call, "namespace", quote(a, "CELERY"))
			pass.Report(rules.Diagnostic{
				Span:    a.Call.Span,
				Message: msg,
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

// plural names a list of settings: "CELERY_BROKER_URL", or
// "CELERY_BROKER_URL and 2 more".
func plural(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return fmt.Sprintf("%s and %d more", names[0], len(names)-1)
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
