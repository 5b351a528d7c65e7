package database

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers/python"
)

// envDBAge reads CONN_MAX_AGE for an alias built by django-environ's
// env.db() / env.db_url(), which takes it from the URL's conn_max_age
// query parameter: set says the URL in effect (the deployment's value of
// the variable, else the call's default) carries one. A URL nothing in
// view gives (a runtime secret) is read as carrying none, as database URLs
// almost never do.
func envDBAge(a alias) (isEnvDB, set bool) {
	c := a.DB.Call
	if c == nil || strings.HasPrefix(c.Func, "dj_database_url.") || a.DB.Expr == nil || a.DB.Expr.Call != c {
		return false, false
	}
	if !strings.HasSuffix(c.Func, ".db") && !strings.HasSuffix(c.Func, ".db_url") {
		return false, false
	}
	name := "DATABASE_URL"
	if p := c.Positional(0); p != nil {
		v := p.Value.Value
		if v.Kind != python.Literal || v.Lit.Kind != python.Str {
			return true, true // a variable headroom cannot name: keep quiet
		}
		name = v.Lit.Str
	} else if k := c.Kwarg("var"); k != nil {
		return true, true
	}
	url := ""
	if ev, ok := a.St.Env(name); ok {
		url = ev.Value
	} else {
		d := c.Kwarg("default")
		if d == nil {
			d = c.Positional(1)
		}
		if d != nil {
			v := a.St.ValueOf(d.Value.Value)
			if !v.Known || v.Lit.Kind != python.Str {
				return true, true
			}
			url = v.Lit.Str
		}
	}
	return true, strings.Contains(url, "$") || strings.Contains(strings.ToLower(url), "conn_max_age")
}
