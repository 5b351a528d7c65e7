package database

import (
	"fmt"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// ConnHealthChecks is HR202.
var ConnHealthChecks = &rules.Rule{
	ID:       "HR202",
	Name:     "django-conn-health-checks",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "Persistent database connections without CONN_HEALTH_CHECKS",
		Why: `With persistent connections (CONN_MAX_AGE > 0 or None) a connection outlives the
request that opened it. When the server closes it meanwhile (a PostgreSQL restart
or failover, an idle timeout, a proxy or NAT dropping idle TCP), the next request on
that worker fails with "server closed the connection unexpectedly" or "connection
already closed". CONN_HEALTH_CHECKS = True (Django 4.1 and later) makes Django check
a reused connection once per request (or Celery task), before its first query, and
reconnect if it is dead, at the cost of one cheap round trip per request: Django
sets health_check_done = False when a request starts (close_if_unusable_or_obsolete,
on request_started and request_finished) and runs is_usable() when the first cursor
after it is opened (close_if_health_check_failed).

SQLite aliases are skipped (no server closes their connections: a persistent SQLite
connection is only an open file), and so are third-party backends headroom does not
know (ClickHouse and the like).`,
		Impact: "part of the report's database change (30-50% faster database responses): reuse without errors after restarts and idle timeouts",
		Fix: `Adds CONN_HEALTH_CHECKS = True next to CONN_MAX_AGE, in the author's form (the dict
literal, a DATABASES["default"][...] line, or dj_database_url's conn_health_checks).
dj_database_url's conn_health_checks keyword is written only where the requirements
prove dj-database-url >= 1.2.0 (1.1.0 added it to parse(), 1.2.0 to config(); 0.5.0
raises TypeError on it and nothing starts); otherwise the fix adds
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True on its own line after the
assignment, which works with every version. No fix for a dict literal .update()d with
a dj_database_url call: the call's dict always carries CONN_HEALTH_CHECKS (False unless
conn_health_checks= says otherwise) and overwrites the literal's, so the message says
to set it in the call or after the update.
Safe: it only adds a check (unsafe where the author wrote CONN_HEALTH_CHECKS = False). Quiet when the requirements pin Django older than 4.1,
which has no such setting; an unknown version is checked.`,
		Bad: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "CONN_MAX_AGE": 600,
    }
}`,
		Good: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }
}`,
		Sources: []string{
			"https://docs.djangoproject.com/en/stable/ref/settings/#conn-health-checks",
			"https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections",
			"https://docs.djangoproject.com/en/4.1/releases/4.1/#database-backends",
			"https://github.com/jazzband/dj-database-url#usage",
			"https://github.com/jazzband/dj-database-url/blob/v1.2.0/CHANGELOG.md",
			"https://github.com/django/django/blob/5.2/django/db/backends/base/base.py",
		},
		Since: "0.1.0",
	},
	Check: checkHealthChecks,
}

func init() { rules.Register(ConnHealthChecks) }

func checkHealthChecks(pass *rules.Pass) {
	if pass.File.Python == nil {
		return
	}
	if dj, ok := pass.Stack.Version("django"); ok && dj.Version.Known() && !dj.Version.AtLeast(4, 1) {
		return
	}
	for _, a := range aliases(pass) {
		if !serverEngine(engine(a)) {
			continue
		}
		age, persistent, ok := connMaxAge(a)
		if !ok || !persistent || pooled(a) {
			continue
		}
		hc := a.DB.Get("CONN_HEALTH_CHECKS")
		if hc != nil {
			// A value bound under another condition than the alias's own
			// may be what runs: not judged.
			if v := a.St.Value(hc); !v.Known || v.Lit.Truthy() || hc.Conditional && hc.Stmt != a.DB.Stmt {
				continue
			}
		}
		if hc == nil && a.DB.Open && a.DB.Call == nil && a.DB.URLCall == nil {
			continue // a **splat may set it
		}
		ageText := age.Doc().Text(age.Span())
		if v := a.St.Value(age); v.Env != nil {
			ageText = fmt.Sprintf("%s from $%s", v.Lit, v.Var)
		}
		d := rules.Diagnostic{
			Span:    age.Span(),
			Message: fmt.Sprintf("%s keeps connections open (CONN_MAX_AGE = %s) without CONN_HEALTH_CHECKS = True: the first request on a connection the server closed fails", where(a), ageText),
		}
		at := age.Doc()
		app := rules.Safe
		if hc != nil {
			// The author turned the checks off on purpose: ask first.
			d.Span, at, app = hc.Span(), hc.Doc(), rules.Unsafe
			d.Message = fmt.Sprintf("%s keeps connections open (CONN_MAX_AGE = %s) with CONN_HEALTH_CHECKS off: the first request on a connection the server closed fails", where(a), ageText)
		}
		if a.DB.Call == nil && a.DB.URLCall != nil {
			// dj_database_url's dict carries CONN_HEALTH_CHECKS (False
			// unless conn_health_checks= says otherwise) and the .update()
			// writes it over the literal's: a key added to the literal
			// would change nothing.
			d.Message += "; set conn_health_checks=True in the " + a.DB.URLCall.Func + "() call the dict is updated with (dj-database-url 1.2 or later), or a CONN_HEALTH_CHECKS = True line after that update: the call's dict replaces the literal's value"
			report(pass, a, d, at, age)
			continue
		}
		edits, err := set(a, []string{"DATABASES", a.Name}, healthChecksEntry(pass.Stack))
		d.Fixes = fix("set CONN_HEALTH_CHECKS = True", app, edits, err)
		report(pass, a, d, at, age)
	}
}
