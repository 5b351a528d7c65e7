package database

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
)

// PostgresOptions is HR203.
var PostgresOptions = &rules.Rule{
	ID:       "HR203",
	Name:     "postgres-options",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "PostgreSQL connection options: unknown -c parameters, no connect timeout or keepalives",
		Why: `OPTIONS of a PostgreSQL alias are passed to libpq. Two things matter for capacity:

- options: '-c name=value' sets server parameters when the connection starts, and
  PostgreSQL judges each name against its own parameter table, by the parameter's
  context. A name it does not know, such as the capacity report's
  default_statement_timeout, makes every connection fail with "unrecognized
  configuration parameter". A user-settable parameter (context user or backend:
  statement_timeout, lock_timeout, max_parallel_workers, io_combine_limit, ...) works
  for any role. A superuser-only one (context superuser or superuser-backend:
  deadlock_timeout, log_connections, log_min_duration_statement, ...) fails with
  "permission denied to set parameter" for a normal role, unless it was granted SET
  on the parameter (PostgreSQL 15 and later); the official image's POSTGRES_USER is a
  superuser, so this is a warning. A server-only one (postmaster, sighup or internal:
  shared_buffers, max_connections, ...) fails with "cannot be changed now": an error.
  Where the stack's postgres image pins a release, a parameter that release does
  not have (transaction_timeout before 17) is an error too. Dotted names
  (pg_stat_statements.track) are extension settings, outside the core table: not
  judged. The table is generated from PostgreSQL's own source:
  src/backend/utils/misc/guc.c of 13.16 and 15.18, and guc_tables.c of the 18
  development line in late 2024 for what 16 and 17 added (the parameters 16 and 17
  removed are dropped at their release).
- connect_timeout bounds how long a worker waits for an unreachable database (libpq
  waits indefinitely by default, holding the worker), and TCP keepalives
  (keepalives, keepalives_idle, keepalives_interval, keepalives_count) detect
  connections that a failover, NAT or firewall silently dropped, instead of leaving
  a request hanging on a dead socket. Missing ones are a warning.`,
		Impact: "part of the report's database change (30-50% faster database responses): no hung workers on dead or unreachable databases, no failed connections from a bad parameter",
		Fix: `Adds the missing libpq keys to OPTIONS with the report's values: connect_timeout: 10,
keepalives: 1, keepalives_idle: 30, keepalives_interval: 10, keepalives_count: 5, in
the author's form (dict literal keys on their own lines, or
DATABASES["default"]["OPTIONS"][...] lines). An alias built from a database URL
(dj_database_url.config()/parse(), django-environ's env.db()) gets the URL's query
parameters as OPTIONS (?connect_timeout=10 is OPTIONS["connect_timeout"]): there the
URL's query counts, and the missing keys are appended to the URL where it is written,
the deployment's DATABASE_URL (compose, env file, Dockerfile ENV) or a literal URL the
settings parse. A dict literal .update()d with such a call
(DATABASES["default"].update(dj_database_url.config(...)), as doccano writes it) takes
the URL's ENGINE and OPTIONS where the deployment sets the variable (config() returns {}
where it is unset with no default, and the literal stands). Variables written before
the query (postgres://${POSTGRES_USER}:...@db:5432/${POSTGRES_DB}?sslmode=disable) do
not hide it; one inside the query leaves the URL unjudged. Safe: they bound waits and detect dead peers, nothing else. Only for
the postgresql ENGINE, and never where OPTIONS may be filled by something headroom
cannot read (a **splat). The variable read is the one the call names:
env.db("PRIMARY_DATABASE_URL") or var=, dj_database_url.config(env=...), else
DATABASE_URL. A default URL (config(default=...), env.db's default) is judged when no
file in the repository sets the variable and it names a database server
(postgres://app@db:5432/app, a compose service): it is what a plain docker compose up
runs. A default on this machine (postgres:///app, localhost, 127.0.0.1) is a
developer's database, reaching nothing from a container, and a URL only the runtime
sets (parse(os.environ["DATABASE_URL"]), config() with no default) cannot be read:
both quiet on purpose, since the deployment's URL, which fills OPTIONS, is not in
view. Keepalive keys are not added where the author set keepalives to 0.

A -c parameter that fails is never written; removing it is offered only as an unsafe
fix, since the author may have meant a different parameter (statement_timeout), or
connect as a superuser.`,
		Bad: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "options": "-c statement_timeout=30000 -c default_statement_timeout=30000",
        },
    }
}`,
		Good: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "options": "-c statement_timeout=30000",
            "connect_timeout": 10,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 5,
        },
    }
}`,
		Sources: []string{
			"https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS",
			"https://www.postgresql.org/docs/current/runtime-config-client.html",
			"https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-SHELL",
			"https://www.postgresql.org/docs/current/view-pg-settings.html",
			"https://github.com/postgres/postgres/blob/REL_13_16/src/backend/utils/misc/guc.c",
			"https://github.com/postgres/postgres/blob/REL_15_18/src/backend/utils/misc/guc.c",
			"https://github.com/postgres/postgres/blob/master/src/backend/utils/misc/guc_tables.c",
			"https://www.postgresql.org/docs/16/release-16.html",
			"https://www.postgresql.org/docs/17/release-17.html",
			"https://www.postgresql.org/docs/current/sql-grant.html",
			"https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-notes",
			"https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-OPTIONS",
			"https://github.com/jazzband/dj-database-url/blob/master/dj_database_url/__init__.py",
			"https://github.com/joke2k/django-environ/blob/main/environ/environ.py",
		},
		Since: "0.1.0",
	},
	Check: checkPostgresOptions,
}

func init() { rules.Register(PostgresOptions) }

// libpqDefaults are the keys the fix adds, in order, with the report's
// values.
var libpqDefaults = []edit.PyEntry{
	edit.PyKV("connect_timeout", edit.PySrc("10")),
	edit.PyKV("keepalives", edit.PySrc("1")),
	edit.PyKV("keepalives_idle", edit.PySrc("30")),
	edit.PyKV("keepalives_interval", edit.PySrc("10")),
	edit.PyKV("keepalives_count", edit.PySrc("5")),
}

func checkPostgresOptions(pass *rules.Pass) {
	if pass.File.Python == nil {
		return
	}
	for _, a := range aliases(pass) {
		if engine(a) != "postgresql" {
			continue
		}
		opts := a.DB.Get("OPTIONS")
		if opts != nil && opts.Conditional {
			a.Cond = true
		}
		if o := opts.Get("options"); o != nil {
			checkServerOptions(pass, a, o)
		}
		checkLibpqKeys(pass, a, opts)
	}
}

func checkLibpqKeys(pass *rules.Pass, a alias, opts *python.Object) {
	if opts == nil && a.DB.Open {
		checkURLKeys(pass, a)
		return
	}
	if opts != nil && (!opts.IsDict() || opts.Open) {
		return // OPTIONS may come from a splat headroom cannot read
	}
	var missing []edit.PyEntry
	var names []string
	keepaliveOff := false
	if k := opts.Get("keepalives"); k != nil {
		if l, ok := k.Value().Effective(); ok && !l.Truthy() {
			keepaliveOff = true
		}
	}
	for _, e := range libpqDefaults {
		if opts.Get(e.Key) != nil || keepaliveOff && strings.HasPrefix(e.Key, "keepalives") {
			continue
		}
		missing = append(missing, e)
		names = append(names, e.Key)
	}
	if len(missing) == 0 {
		return
	}
	span, at := keySpan(a.DB), a.DB.Doc()
	if opts != nil {
		span, at = keySpan(opts), opts.Doc()
	}
	edits, err := set(a, []string{"DATABASES", a.Name, "OPTIONS"}, missing...)
	report(pass, a, rules.Diagnostic{
		Span:    span,
		Message: fmt.Sprintf("%s OPTIONS lacks %s: a worker waits without bound on an unreachable database, and connections dropped by a failover or firewall hang until the OS gives up", where(a), strings.Join(names, ", ")),
		Fixes:   fix("add "+strings.Join(names, ", "), rules.Safe, edits, err),
	}, at, opts)
}

// serverParam matches one parameter setting in a libpq options string:
// "-c name=value", "-cname=value" or "--name=value".
var serverParam = regexp.MustCompile(`(?:^|\s)(-c\s*|--)([A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(\S*)`)

func checkServerOptions(pass *rules.Pass, a alias, o *python.Object) {
	v := a.St.Value(o)
	lit := v.Lit
	if !v.Known || lit.Kind != python.Str || v.Env != nil {
		return // a value set in the deployment's environment is checked where it is written only
	}
	doc := o.Doc()
	// The string as written: its own span, or the env default's.
	expr := o.Expr
	if v := o.Value(); v.Kind == python.EnvDefault && v.Default != nil {
		expr = v.Default
	}
	raw := doc.Text(expr.Span)
	pgv, pinned := postgresVersion(pass.Stack)
	for _, sm := range serverParam.FindAllStringSubmatchIndex(lit.Str, -1) {
		name := lit.Str[sm[4]:sm[5]]
		key := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
		if strings.Contains(key, ".") {
			continue // an extension's (or a custom placeholder) setting: not in the core tables
		}
		p := lookupPG(key)
		var problem string
		severity := rules.Error
		consequence := "every connection fails"
		switch {
		case !p.known:
			problem = "is not a PostgreSQL parameter"
		case pinned && p.versionProblem(pgv) != "":
			problem = fmt.Sprintf("does not exist in the PostgreSQL %s the stack runs: %s", pgv, p.versionProblem(pgv))
		case p.context == pgUserset || p.context == pgBackend:
			continue // any role may set it when the connection starts
		case p.context == pgSuset || p.context == pgSuBackend:
			severity = rules.Warning
			problem = fmt.Sprintf("can only be set by a superuser (its context is %q)", p.context)
			consequence = "every connection as a normal role fails with \"permission denied to set parameter\" (unless the role was granted SET on it, PostgreSQL 15 and later)"
		default:
			problem = fmt.Sprintf("is a server-wide PostgreSQL parameter (its context is %q): it cannot be set per connection", p.context)
		}
		setting := strings.TrimSpace(lit.Str[sm[0]:sm[1]])
		span := expr.Span
		if i := strings.Index(raw, name); i >= 0 {
			span = parsers.Span{Start: expr.Span.Start + i, End: expr.Span.Start + i + len(name)}
		}
		msg := fmt.Sprintf("%s OPTIONS options: %q %s: %s", where(a), name, problem, consequence)
		if hint := nearest[key]; hint != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", hint)
		}
		d := rules.Diagnostic{Span: span, Severity: severity, Message: msg}
		if i := strings.Index(raw, setting); i >= 0 && strings.Count(raw, setting) == 1 {
			start, end := expr.Span.Start+i, expr.Span.Start+i+len(setting)
			src := doc.Src
			switch {
			case start > expr.Span.Start && (src[start-1] == ' ' || src[start-1] == '\t'):
				for start > expr.Span.Start && (src[start-1] == ' ' || src[start-1] == '\t') {
					start--
				}
			default:
				for end < expr.Span.End && (src[end] == ' ' || src[end] == '\t') {
					end++
				}
			}
			d.Fixes = []rules.Fix{{
				Message:       fmt.Sprintf("remove %q from options", setting),
				Applicability: rules.Unsafe,
				Edits:         []edit.TextEdit{{Path: doc.Path, Span: parsers.Span{Start: start, End: end}, New: ""}},
			}}
		}
		report(pass, a, d, doc, o)
	}
}

// nearest suggests the real parameter for names people write by mistake.
var nearest = map[string]string{
	"default_statement_timeout":   "statement_timeout",
	"statement_timeout_ms":        "statement_timeout",
	"query_timeout":               "statement_timeout",
	"idle_timeout":                "idle_session_timeout",
	"idle_transaction_timeout":    "idle_in_transaction_session_timeout",
	"default_lock_timeout":        "lock_timeout",
	"connect_timeout":             "the libpq key connect_timeout in OPTIONS",
	"keepalives":                  "the libpq key keepalives in OPTIONS",
	"default_transaction_timeout": "transaction_timeout",
}

// urlPlaceholder matches a variable compose or a shell interpolates:
// ${VAR}, ${VAR:-default}, $VAR.
var urlPlaceholder = regexp.MustCompile(`\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)`)

// placeholdersOutsideQuery replaces the variables written before a URL's
// query (`postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}?sslmode=disable`)
// with a stand-in that parses as user, host, port or path: the query,
// which is what OPTIONS come from, stays as written (a variable there
// may add any key, so it leaves the URL unjudged).
func placeholdersOutsideQuery(u string) string {
	head, query, has := strings.Cut(u, "?")
	head = urlPlaceholder.ReplaceAllString(head, "0")
	if has {
		return head + "?" + query
	}
	return head
}

// checkURLKeys judges an alias a database URL builds (dj_database_url,
// django-environ's env.db()): both pass the URL's query parameters on as
// OPTIONS (`?connect_timeout=10&keepalives=1`), so the libpq keys count
// there, and the fix appends the missing ones to the URL where it is
// written: the deployment's DATABASE_URL, or a literal URL the settings
// parse. Quiet where the URL is not known, where it is only a local default
// a platform's DATABASE_URL replaces, or where OPTIONS may also come from
// elsewhere (a **splat, a dict merged in).
func checkURLKeys(pass *rules.Pass, a alias) {
	u, ok := dbURL(a)
	if !ok || a.DB.Dict != nil && a.DB.URLCall == nil || u.Unseen {
		return
	}
	if u.Env == nil && u.Fallback && a.Cond {
		// A default under a condition is often the branch taken only where
		// the variable is set (if os.environ.get("DATABASE_URL"): ...),
		// where the default never runs.
		return
	}
	pu, err := url.Parse(placeholdersOutsideQuery(u.URL))
	if err != nil || pu.Fragment != "" || strings.Contains(pu.RawQuery, "$") {
		return
	}
	if u.Env == nil && u.Fallback && localHost(pu.Hostname()) {
		// postgres:///app or postgres://localhost/app as the default is a
		// developer's database: in a container it reaches nothing, so the
		// deployment sets the variable, and OPTIONS come from its URL.
		return
	}
	q := pu.Query()
	keepaliveOff := q.Get("keepalives") == "0"
	var names, pairs []string
	for _, e := range libpqDefaults {
		if q.Has(e.Key) || keepaliveOff && strings.HasPrefix(e.Key, "keepalives") {
			continue
		}
		names = append(names, e.Key)
		pairs = append(pairs, e.Key+"="+e.Value.Src)
	}
	if len(names) == 0 {
		return
	}
	sep := "?"
	if strings.Contains(u.URL, "?") {
		sep = "&"
		if strings.HasSuffix(u.URL, "?") || strings.HasSuffix(u.URL, "&") {
			sep = ""
		}
	}
	query := sep + strings.Join(pairs, "&")
	call := a.DB.Call
	if call == nil {
		call = a.DB.URLCall
	}
	span, at := call.Span, a.DB.Doc()
	var edits []edit.TextEdit
	switch {
	case u.Env != nil:
		span, at = u.Env.Span, u.Env.File.Doc
		edits = []edit.TextEdit{{Path: at.Path, Span: parsers.Span{Start: u.Env.EditSpan.End, End: u.Env.EditSpan.End}, New: query}}
	case u.Lit != nil:
		span = u.Lit.Span
		doc := a.DB.Doc()
		raw := doc.Text(u.Lit.Span)
		if q := raw[len(raw)-1]; len(raw) >= 2 && (q == '"' || q == '\'') && raw[0] == q && strings.Count(raw, string(q)) == 2 && !strings.Contains(raw, "\\") {
			end := u.Lit.Span.End - 1
			edits = []edit.TextEdit{{Path: doc.Path, Span: parsers.Span{Start: end, End: end}, New: query}}
		}
	}
	var fixes []rules.Fix
	if len(edits) > 0 {
		fixes = fix("add "+strings.Join(pairs, "&")+" to the database URL", rules.Safe, edits, nil)
	}
	which := "a database URL"
	if u.Env == nil && u.Fallback && u.Var != "" {
		which = fmt.Sprintf("the default database URL (used where $%s is unset, and nothing in the repository sets it)", u.Var)
	}
	report(pass, a, rules.Diagnostic{
		Span:    span,
		Message: fmt.Sprintf("%s is built from %s whose query (its OPTIONS) lacks %s: a worker waits without bound on an unreachable database, and connections dropped by a failover or firewall hang until the OS gives up", where(a), which, strings.Join(names, ", ")),
		Fixes:   fixes,
	}, at, nil)
}

// localHost says a URL's host is this machine: a unix socket (no host) or
// the loopback names.
func localHost(h string) bool {
	switch h {
	case "", "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}
