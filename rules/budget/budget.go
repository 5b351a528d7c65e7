// Package budget holds the cross-file budget rules (HR9xx): what every
// process of the deployment can hold at once (database and Redis
// connections) against what the server accepts, and the settings that
// leak connections under the pools the stack runs. It also holds HR701
// (throttle counters in a per-process cache), which is true only of a
// stack with more than one process.
package budget

import (
	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
)

// dbAlias is one entry of DATABASES.
type dbAlias struct {
	Name string
	DB   *python.Object
}

func dbAliases(m *python.Module) []dbAlias {
	dbs := m.Names["DATABASES"]
	if !dbs.IsDict() || dbs.Conditional {
		return nil
	}
	var out []dbAlias
	for _, k := range dbs.Keys() {
		if db := dbs.Get(k); db.IsDict() && !db.Conditional {
			out = append(out, dbAlias{Name: k, DB: db})
		}
	}
	return out
}

// str is an object's string value where the environment does not
// override it.
func str(o *python.Object) (string, bool) {
	if l, ok := o.Value().Effective(); ok && l.Kind == python.Str {
		return l.Str, true
	}
	return "", false
}

// keySpan is where a finding about a whole dict entry points: its key in
// the literal, else the expression that builds it.
func keySpan(o *python.Object) parsers.Span {
	if o.Entry != nil {
		return o.Entry.KeySpan
	}
	if o.Stmt != nil && o.Stmt.Value == o.Expr {
		return o.Stmt.Span
	}
	return o.Span()
}

// related turns a budget's terms into the related locations of a finding.
func related(b capacity.Budget, each func(t capacity.Term) string) []rules.Location {
	var out []rules.Location
	for _, t := range b.Terms {
		out = append(out, rules.Location{Doc: t.Unit.Doc, Span: t.Unit.Argv.Span, Message: each(t)})
	}
	return out
}

// limitLocation is where the stack sets (or implies) a budget's limit,
// when it does.
func limitLocation(b capacity.Budget) []rules.Location {
	if b.LimitFrom.Doc == nil {
		return nil
	}
	return []rules.Location{{Doc: b.LimitFrom.Doc, Span: b.LimitFrom.Span, Message: b.LimitFrom.What}}
}
