// Package database holds the rules on Django's DATABASES setting: connection
// reuse (HR201), health checks (HR202) and libpq options (HR203).
package database

import (
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/fixers"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
)

// alias is one entry of DATABASES.
type alias struct {
	Name string
	DB   *python.Object
}

// aliases lists the database configurations a settings module builds.
func aliases(m *python.Module) []alias {
	dbs := m.Names["DATABASES"]
	if !dbs.IsDict() || dbs.Conditional {
		return nil
	}
	var out []alias
	for _, k := range dbs.Keys() {
		if db := dbs.Get(k); db.IsDict() && !db.Conditional {
			out = append(out, alias{Name: k, DB: db})
		}
	}
	return out
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
// "sqlite3", "oracle", or "" when headroom cannot tell.
func engine(db *python.Object) string {
	if e := db.Get("ENGINE"); e != nil {
		if l, ok := e.Value().Effective(); ok && l.Kind == python.Str {
			return engineName(l.Str)
		}
		return ""
	}
	if db.Call == nil {
		return ""
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
		return ""
	}
	l, ok := url.Value.Value.Effective()
	if !ok || l.Kind != python.Str {
		return ""
	}
	scheme, _, _ := strings.Cut(l.Str, "://")
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
	return ""
}

// host is the alias's HOST as it is in effect here ("" when unknown).
func host(db *python.Object) string {
	if l, ok := db.Get("HOST").Value().Effective(); ok && l.Kind == python.Str {
		return l.Str
	}
	return ""
}

// connMaxAge is the alias's CONN_MAX_AGE: ok is false when it is computed
// in a way headroom does not follow or set only conditionally; persistent
// is true for None (unlimited) or a positive age.
func connMaxAge(db *python.Object) (age *python.Object, persistent, ok bool) {
	age = db.Get("CONN_MAX_AGE")
	if age == nil {
		// Django's default is 0, and dj_database_url writes 0 when its
		// conn_max_age is not given; other calls (env.db) may read it from
		// the URL, and a **splat may hold it.
		if db.Open && (db.Call == nil || !strings.HasPrefix(db.Call.Func, "dj_database_url.")) {
			return nil, false, false
		}
		return nil, false, true
	}
	if age.Conditional {
		return age, false, false
	}
	l, known := age.Value().Effective()
	if !known {
		return age, false, false
	}
	switch l.Kind {
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
func pooled(db *python.Object) bool {
	p := db.Get("OPTIONS").Get("pool")
	if p == nil {
		return false
	}
	if l, ok := p.Value().Effective(); ok {
		return l.Truthy()
	}
	return true // a dict of pool options, or a computed value
}

// fix builds a Fix from a PythonSet result; nil when the form could not be
// kept.
func fix(msg string, app rules.Applicability, edits []rules.TextEdit, err error) []rules.Fix {
	if err != nil || len(edits) == 0 {
		return nil
	}
	return []rules.Fix{{Message: msg, Applicability: app, Edits: edits}}
}

// set sets keys of a dict in the author's form.
func set(m *python.Module, path []string, entries ...fixers.PyEntry) ([]rules.TextEdit, error) {
	return fixers.PythonSet(m, path, entries...)
}

// where describes an alias's setting for messages: DATABASES["default"].
func where(a alias) string { return `DATABASES["` + a.Name + `"]` }

// poolExtra matches a requirement line that installs psycopg's pool extra.
var poolExtra = regexp.MustCompile(`(?i)psycopg\s*\[[^\]]*\bpool\b`)
