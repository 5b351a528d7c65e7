// Package database holds the rules on Django's DATABASES setting: connection
// reuse (HR201), health checks (HR202) and libpq options (HR203).
package database

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// alias is one entry of DATABASES, as the settings Django runs with hold
// it.
type alias struct {
	Name string
	DB   *python.Object
	St   *stack.Settings
	// Cond says the dict, or the alias in it, is bound under a condition
	// (an if, try, with or for): it may not be what runs.
	Cond bool
}

// aliases lists the database configurations of the settings Django runs
// with when it loads the pass's module (base modules are judged through
// the modules that import them).
func aliases(pass *rules.Pass) []alias {
	var out []alias
	for _, st := range pass.Stack.SettingsFor(pass.File) {
		// Every branch's DATABASES, and every branch's dict under a key,
		// may be what production runs: each is judged, as conditional when
		// another branch may run instead.
		seen := map[*python.Object]bool{}
		all := st.NS.Names["DATABASES"].Alts()
		for _, dbs := range all {
			if !dbs.IsDict() {
				continue
			}
			for _, k := range dbs.Keys() {
				alts := dbs.Get(k).Alts()
				for _, db := range alts {
					if !db.IsDict() || seen[db] {
						continue
					}
					seen[db] = true
					cond := dbs.Conditional || db.Conditional || len(all) > 1 || len(alts) > 1
					out = append(out, alias{Name: k, DB: db, St: st, Cond: cond})
				}
			}
		}
	}
	return out
}

// conditional turns a finding about a value bound under a condition into
// what it is: information about a branch that may not run, whose fixes
// are the author's call.
func conditional(d *rules.Diagnostic, o *python.Object) {
	d.Severity = rules.Info
	where := ""
	if o != nil && o.Stmt != nil {
		where = fmt.Sprintf(" (%s line %d)", o.Doc().Path, o.Doc().Position(o.Stmt.Span.Start).Line)
	}
	d.Message += "; conditional: set under a condition" + where + ", so only if that branch runs"
	for i := range d.Fixes {
		d.Fixes[i].Applicability = rules.Unsafe
	}
}

// report records d at o's file (the module that decides the value, which
// may be a base module or an env file, not the one being checked), with
// the settings module it is judged for.
func report(pass *rules.Pass, a alias, d rules.Diagnostic, at *parsers.Document, cond *python.Object) {
	if at != nil {
		d.Doc = at
	}
	note, rel := rules.SettingsContext(pass, a.St, d.Doc)
	d.Message += note
	d.Related = append(d.Related, rel...)
	if a.Cond || cond != nil && cond.Conditional {
		if cond == nil || !cond.Conditional {
			cond = a.DB
		}
		conditional(&d, cond)
	}
	pass.Report(d)
}

// keySpan is where a finding about a whole alias points: its key in the
// DATABASES literal, or the expression that builds it.
func keySpan(o *python.Object) parsers.Span {
	if o.Entry != nil {
		return o.Entry.KeySpan
	}
	if o.Stmt != nil && o.Stmt.Value == o.Expr {
		return o.Stmt.Span
	}
	return o.Span()
}

// engine names the database an alias uses: "postgresql", "mysql",
// "sqlite3", "oracle", "other" for an ENGINE of another backend, or ""
// when headroom cannot tell.
func engine(a alias) string {
	db := a.DB
	if u, ok := updatedURL(a); ok {
		return urlEngine(u.URL) // the deployment's URL replaces the literal's ENGINE
	}
	if e := db.Get("ENGINE"); e != nil {
		if v := a.St.Value(e); v.Known && v.Lit.Kind == python.Str {
			return engineName(v.Lit.Str)
		}
		return ""
	}
	if u, ok := dbURL(a); ok {
		return urlEngine(u.URL)
	}
	return ""
}

// aliasURL is the database URL an alias is built from (dj_database_url,
// django-environ's env.db()), and where it is written: a Python string
// literal (Lit), or the deployment's value of the variable (Env).
type aliasURL struct {
	URL string
	Lit *python.Expr
	Env *stack.EnvValue
	// Fallback says the URL is a default the code uses only where the
	// variable is unset (dj_database_url.config(default=...), env.db's
	// default): a platform that sets DATABASE_URL replaces it.
	Fallback bool
	// Var is the environment variable the URL is read from ("" when
	// none), and Unseen says no file in view sets it and the code gives
	// no default: the URL, and so OPTIONS, is only known at run time.
	Var    string
	Unseen bool
}

// dbURL returns the URL in effect for an alias a URL call builds: the
// deployment's DATABASE_URL where it sets one, else the call's default.
func dbURL(a alias) (aliasURL, bool) {
	db := a.DB
	if db.Call == nil {
		return updatedURL(a)
	}
	if name, ok := urlVar(db.Call); ok {
		if ev, ok := a.St.Env(name); ok {
			return aliasURL{URL: ev.Value, Env: &ev, Var: name}, true
		}
	}
	var url *python.Arg
	switch {
	case strings.HasSuffix(db.Call.Func, ".parse"):
		url = db.Call.Positional(0)
	case strings.HasSuffix(db.Call.Func, ".config"):
		url = db.Call.Kwarg("default")
	default: // env.db("VAR", default=...)
		if url = db.Call.Kwarg("default"); url == nil {
			url = db.Call.Positional(1)
		}
	}
	if url == nil {
		if name, ok := urlVar(db.Call); ok {
			return aliasURL{Var: name, Unseen: true}, true
		}
		return aliasURL{}, false
	}
	if pv := url.Value.Value; pv.Prefix != "" || pv.Suffix != "" {
		// parse(f"{DATABASE_URL}?sslmode=require"): the URL written is
		// not one place a fix could append to.
		return aliasURL{}, false
	}
	v := a.St.ValueOf(url.Value.Value)
	if !v.Known && v.Var != "" && v.Env == nil {
		// parse(os.environ["DATABASE_URL"]): a URL only the runtime sets.
		return aliasURL{Var: v.Var, Unseen: true}, true
	}
	if !v.Known || v.Lit.Kind != python.Str {
		return aliasURL{}, false
	}
	if v.Env != nil {
		return aliasURL{URL: v.Lit.Str, Env: v.Env, Var: v.Var}, true
	}
	out := aliasURL{URL: v.Lit.Str, Fallback: !strings.HasSuffix(db.Call.Func, ".parse"), Var: v.Var}
	if out.Var == "" {
		out.Var, _ = urlVar(db.Call)
	}
	switch pv := url.Value.Value; {
	case pv.Kind == python.Literal:
		out.Lit = url.Value
	case pv.Kind == python.EnvDefault && pv.Default != nil && pv.Default.Value.Kind == python.Literal:
		out.Lit, out.Fallback = pv.Default, true
	}
	return out, true
}

// updatedURL is the URL of a dict literal .update()d with a URL call
// (`DATABASES["default"].update(dj_database_url.config(conn_max_age=500))`):
// the deployment's value of the call's variable, which then decides
// ENGINE and OPTIONS. Where nothing in view sets it, the literal stands
// (dj_database_url.config returns {} for an unset variable with no
// default): no URL.
func updatedURL(a alias) (aliasURL, bool) {
	if a.DB.URLCall == nil {
		return aliasURL{}, false
	}
	name, ok := urlVar(a.DB.URLCall)
	if !ok {
		return aliasURL{}, false
	}
	ev, ok := a.St.Env(name)
	if !ok || urlEngine(ev.Value) == "" {
		return aliasURL{}, false
	}
	return aliasURL{URL: ev.Value, Env: &ev, Var: name}, true
}

// urlVar names the environment variable a URL call reads before its
// default: dj_database_url.config's env= (DATABASE_URL unless given),
// django-environ's env.db()/db_url() first argument or var= (DATABASE_URL
// unless given); ok is false for parse(), which reads no variable itself,
// and for a name held in a variable.
func urlVar(c *python.Call) (string, bool) {
	var arg *python.Arg
	switch {
	case strings.HasSuffix(c.Func, ".parse"):
		return "", false
	case strings.HasPrefix(c.Func, "dj_database_url."):
		arg = c.Kwarg("env")
	default:
		if arg = c.Positional(0); arg == nil {
			arg = c.Kwarg("var")
		}
	}
	if arg == nil {
		return "DATABASE_URL", true
	}
	if v := arg.Value.Value; v.Kind == python.Literal && v.Lit.Kind == python.Str {
		return v.Lit.Str, true
	}
	return "", false
}

func urlEngine(url string) string {
	scheme, _, _ := strings.Cut(url, "://")
	switch scheme {
	case "postgres", "postgresql", "pgsql", "postgis":
		return "postgresql"
	case "mysql", "mysql2", "mysqlgis":
		return "mysql"
	case "sqlite", "spatialite":
		return "sqlite3"
	case "oracle", "oraclegis":
		return "oracle"
	}
	return ""
}

func engineName(e string) string {
	switch {
	case strings.Contains(e, "postgresql") || strings.Contains(e, "postgis"):
		return "postgresql"
	case strings.Contains(e, "mysql"):
		return "mysql"
	case strings.Contains(e, "sqlite"):
		return "sqlite3"
	case strings.Contains(e, "oracle"):
		return "oracle"
	}
	return "other" // a third-party backend: ClickHouse, MSSQL, ...
}

// serverEngine says whether the rules on connections to a database server
// judge an alias of this engine: PostgreSQL, MySQL, Oracle, or an ENGINE
// headroom cannot read. SQLite opens a file (no server to connect to or
// to close a connection), and third-party backends keep their own rules.
func serverEngine(eng string) bool { return eng != "sqlite3" && eng != "other" }

// host is the alias's HOST as it is in effect here ("" when unknown).
func host(a alias) string {
	if v := a.St.Value(a.DB.Get("HOST")); v.Known && v.Lit.Kind == python.Str {
		return v.Lit.Str
	}
	return ""
}

// connMaxAge is the alias's CONN_MAX_AGE: ok is false when it is computed
// in a way headroom does not follow or set only conditionally; persistent
// is true for None (unlimited) or a positive age.
func connMaxAge(a alias) (age *python.Object, persistent, ok bool) {
	db := a.DB
	age = db.Get("CONN_MAX_AGE")
	if age == nil {
		// Django's default is 0, and dj_database_url writes 0 when its
		// conn_max_age is not given; other calls (env.db) may read it from
		// the URL, and a **splat may hold it.
		if envDB, set := envDBAge(a); envDB && !set {
			return nil, false, true
		}
		if db.Open && (db.Call == nil || !strings.HasPrefix(db.Call.Func, "dj_database_url.")) {
			return nil, false, false
		}
		return nil, false, true
	}
	v := a.St.Value(age)
	if !v.Known {
		return age, false, false
	}
	switch l := v.Lit; l.Kind {
	case python.None:
		return age, true, true
	case python.Int, python.Float:
		n, _ := l.Number()
		return age, n > 0, true
	}
	return age, false, false
}

// pooled reports whether OPTIONS["pool"] is set to anything but a false
// literal.
func pooled(a alias) bool {
	p := a.DB.Get("OPTIONS").Get("pool")
	if p == nil {
		return false
	}
	if v := a.St.Value(p); v.Known {
		return v.Lit.Truthy()
	}
	return true // a dict of pool options, or a computed value
}

// fix builds a Fix from a PythonSet result; nil when the form could not be
// kept.
func fix(msg string, app rules.Applicability, edits []edit.TextEdit, err error) []rules.Fix {
	if err != nil || len(edits) == 0 {
		return nil
	}
	return []rules.Fix{{Message: msg, Applicability: app, Edits: edits}}
}

// set sets keys of a dict in the author's form, where each value is
// decided: a key the deployment's environment decides is changed there.
func set(a alias, path []string, entries ...edit.PyEntry) ([]edit.TextEdit, error) {
	return edit.SettingsSet(a.St, path, entries...)
}

// where describes an alias's setting for messages: DATABASES["default"].
func where(a alias) string { return `DATABASES["` + a.Name + `"]` }

// poolExtra matches a requirement line that installs psycopg's pool extra.
var poolExtra = regexp.MustCompile(`(?i)psycopg\s*\[[^\]]*\bpool\b`)

// healthChecksEntry is CONN_HEALTH_CHECKS = True as a fix writes it. An
// alias a dj_database_url call builds gets it as the call's
// conn_health_checks keyword only where the requirements prove
// dj-database-url >= 1.2.0: the keyword came with 1.1.0 (parse) and 1.2.0
// (config's "missing parameter conn_health_check"), and an older version
// (0.5.0 is a common pin) raises TypeError when the settings are imported.
// Elsewhere it is a DATABASES["default"]["CONN_HEALTH_CHECKS"] = True line
// of its own, which every version keeps (the call returns a plain dict).
func healthChecksEntry(s *stack.Stack) edit.PyEntry {
	e := edit.PyKV("CONN_HEALTH_CHECKS", edit.PySrc("True"))
	r, ok := s.Version("dj-database-url")
	e.NoKwarg = !ok || !r.Version.AtLeast(1, 2)
	return e
}
