package python

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// ciVars are the variables CI services set: a branch that runs only where
// one is set configures a test run, not the deployment.
var ciVars = map[string]bool{
	"CI": true, "GITHUB_ACTIONS": true, "GITHUB_WORKFLOW": true, "GITLAB_CI": true,
	"TRAVIS": true, "CIRCLECI": true, "JENKINS_URL": true, "BUILDKITE": true,
	"TF_BUILD": true, "BITBUCKET_BUILD_NUMBER": true, "DRONE": true, "TEAMCITY_VERSION": true,
}

// ifStatement reads an if/elif/else chain. A branch whose condition is
// known in production (a CI-only test, `if DEBUG:` where the module does
// not set DEBUG true, `if "X" not in locals():`) is read as Python would
// run it there: a branch that cannot run is left out, and one that must run
// is not conditional. Every other branch is read as conditional.
func (b *builder) ifStatement(n *sitter.Node, conditional bool) {
	type clause struct{ cond, body *sitter.Node }
	clauses := []clause{{n.ChildByFieldName("condition"), n.ChildByFieldName("consequence")}}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		switch c := n.NamedChild(i); c.Kind() {
		case "elif_clause":
			clauses = append(clauses, clause{c.ChildByFieldName("condition"), c.ChildByFieldName("consequence")})
		case "else_clause":
			clauses = append(clauses, clause{nil, c.ChildByFieldName("body")})
		}
	}
	open := false // an earlier branch may have run instead
	for _, c := range clauses {
		truth, known, unbound := true, true, ""
		if c.cond != nil {
			truth, known, unbound = b.production(c.cond)
		}
		if known && !truth {
			continue
		}
		if c.body != nil {
			outer, outerIf := b.unbound, b.runsIf
			if unbound != "" && !open && outer == "" {
				b.unbound = unbound
			}
			if ec := b.envCond(c.cond); ec != nil && !open && len(clauses) == 1 {
				b.runsIf = ec
			} else if v, ok := b.flagCond(c.cond); ok && !open && len(clauses) == 1 && !known {
				b.runsIf = &EnvCond{Var: v, Set: true, Flag: true}
			}
			for i := uint(0); i < c.body.NamedChildCount(); i++ {
				b.statement(c.body.NamedChild(i), conditional || open || !known)
			}
			b.unbound, b.runsIf = outer, outerIf
		}
		if known && truth && unbound == "" {
			return // later branches never run
		}
		open = true
	}
}

// envCond reads `X is None` and `X is not None` where the module-level
// name X holds an environment read whose default is None
// (`os.environ.get("WORKERS")`, `os.environ.get("WORKERS", None)`, or a
// cast of one): true where the variable is unset, or set. Nil for any
// other condition.
func (b *builder) envCond(n *sitter.Node) *EnvCond {
	if n == nil || n.Kind() != "comparison_operator" || n.NamedChildCount() != 2 {
		return nil
	}
	l, r := n.NamedChild(0), n.NamedChild(1)
	if l.Kind() != "identifier" || r.Kind() != "none" {
		return nil
	}
	op := ""
	for i := uint(0); i < n.ChildCount(); i++ {
		if c := n.Child(i); !c.IsNamed() {
			op += strings.ReplaceAll(b.text(c), " ", "")
		}
	}
	if op != "is" && op != "isnot" {
		return nil
	}
	v, ok := EnvRead(b.names[b.text(l)])
	if !ok {
		return nil
	}
	return &EnvCond{Var: v, Set: op == "isnot"}
}

// bindFlag records, for a module-level assignment `name = n`, whether n
// is an environment flag false at its default (envFlag); a conditional
// binding forgets it.
func (b *builder) bindFlag(name string, n *sitter.Node, conditional bool) {
	v, ok := "", false
	if !conditional {
		v, ok = b.envFlag(n)
	}
	if !ok {
		delete(b.flags, name)
		return
	}
	if b.flags == nil {
		b.flags = map[string]string{}
	}
	b.flags[name] = v
}

// flagCond reads an if condition that is an environment flag false at its
// default, written in place or as a module-level name bound to one
// (`if DB_POOL_ENABLED:`): the branch runs only where the variable is set.
func (b *builder) flagCond(n *sitter.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind() == "identifier" {
		v, ok := b.flags[b.text(n)]
		return v, ok
	}
	return b.envFlag(n)
}

// envFlag reports the environment variable n reads when n is an on/off
// flag false where that variable is unset: a boolean read whose default is
// false (`env.bool("X", default=False)`), or a comparison
// of a read with a string default, lowered or not, to string literals that
// the default does not match (`os.environ.get("X", "False").lower() ==
// "true"`, `... in ("1", "true")`).
func (b *builder) envFlag(n *sitter.Node) (string, bool) {
	if n.Kind() != "comparison_operator" {
		// A URL or DSN read with no default (`if os.environ.get("DATABASE_URL"):`)
		// is not a flag: platforms set those outside the repository.
		if v := b.expr(n).Value; v.Kind == EnvDefault && v.Lit.Kind == Bool && !v.Lit.Bool {
			return v.Var, true
		}
		return "", false
	}
	if n.NamedChildCount() != 2 || n.ChildCount() != 3 {
		return "", false
	}
	op := strings.ReplaceAll(b.text(n.Child(1)), " ", "")
	read, lower := n.NamedChild(0), false
	for read.Kind() == "call" {
		fn, args := read.ChildByFieldName("function"), read.ChildByFieldName("arguments")
		if fn == nil || fn.Kind() != "attribute" || args == nil || args.NamedChildCount() != 0 {
			break
		}
		attr, obj := fn.ChildByFieldName("attribute"), fn.ChildByFieldName("object")
		if attr == nil || obj == nil || (b.text(attr) != "lower" && b.text(attr) != "strip") {
			break
		}
		lower = lower || b.text(attr) == "lower"
		read = obj
	}
	v := b.expr(read).Value
	if v.Kind != EnvDefault || v.Cast != "" || v.Lit.Kind != Str || v.Prefix != "" || v.Suffix != "" {
		return "", false
	}
	def := strings.TrimSpace(v.Lit.Str)
	if lower {
		def = strings.ToLower(def)
	}
	var lits []string
	r := n.NamedChild(1)
	switch op {
	case "==":
		lits = []string{""}
		if rv := b.expr(r).Value; rv.Kind == Literal && rv.Lit.Kind == Str {
			lits[0] = rv.Lit.Str
		} else {
			return "", false
		}
	case "in":
		if r.Kind() != "tuple" && r.Kind() != "list" && r.Kind() != "set" {
			return "", false
		}
		for i := uint(0); i < r.NamedChildCount(); i++ {
			rv := b.expr(r.NamedChild(i)).Value
			if rv.Kind != Literal || rv.Lit.Kind != Str {
				return "", false
			}
			lits = append(lits, rv.Lit.Str)
		}
	default:
		return "", false
	}
	for _, l := range lits {
		if l == def {
			return "", false // true at the default
		}
	}
	return v.Var, true
}

// EnvRead reports the environment variable whose being unset alone makes
// the name bound to o None, as the module runs where nothing raises: an
// environment read with no default (`os.environ.get("WORKERS")`), or a
// cast of it under `if X is not None:` (`workers = int(workers)`), an
// except clause's rebinding aside.
func EnvRead(o *Object) (string, bool) {
	for o != nil && o.Stmt != nil && o.Stmt.Except {
		o = o.Else
	}
	if o == nil {
		return "", false
	}
	v := o.Value()
	switch {
	case !o.Conditional && v.Kind == EnvDefault && v.Lit.Kind == None:
		return v.Var, true
	case o.Conditional && o.Stmt != nil && o.Stmt.RunsIf != nil && o.Stmt.RunsIf.Set && v.Var == o.Stmt.RunsIf.Var &&
		(v.Kind == EnvRequired || v.Kind == EnvDefault):
		return v.Var, true
	}
	return "", false
}

// production evaluates an if condition as it stands in a production
// deployment. unbound names the module-level name a `"X" not in locals()`
// test reads: the branch runs only where X is not bound yet, which the
// evaluation decides (see Statement.IfUnbound).
func (b *builder) production(n *sitter.Node) (truth, known bool, unbound string) {
	switch n.Kind() {
	case "parenthesized_expression":
		if n.NamedChildCount() == 1 {
			return b.production(n.NamedChild(0))
		}
	case "not_operator":
		if a := n.ChildByFieldName("argument"); a != nil {
			if t, k, u := b.production(a); k && u == "" {
				return !t, true, ""
			}
		}
	case "boolean_operator":
		l, r, op := n.ChildByFieldName("left"), n.ChildByFieldName("right"), n.ChildByFieldName("operator")
		if l == nil || r == nil || op == nil {
			break
		}
		lt, lk, lu := b.production(l)
		rt, rk, ru := b.production(r)
		if lu != "" || ru != "" {
			break
		}
		switch b.text(op) {
		case "and":
			if (lk && !lt) || (rk && !rt) {
				return false, true, ""
			}
			if lk && rk {
				return true, true, ""
			}
		case "or":
			if (lk && lt) || (rk && rt) {
				return true, true, ""
			}
			if lk && rk {
				return false, true, ""
			}
		}
	case "identifier":
		if b.text(n) == "DEBUG" {
			// DEBUG is off in production unless this module turns it on.
			if o := b.names["DEBUG"]; o != nil && o.Value().Kind == Literal {
				return o.Value().Lit.Truthy(), true, ""
			}
			return false, true, ""
		}
	case "call", "subscript":
		if v := b.expr(n).Value; (v.Kind == EnvDefault || v.Kind == EnvRequired) && ciVars[v.Var] {
			return false, true, ""
		}
	case "comparison_operator":
		if n.NamedChildCount() != 2 || n.ChildCount() < 3 {
			break
		}
		l, r := n.NamedChild(0), n.NamedChild(1)
		op := ""
		for i := uint(0); i < n.ChildCount(); i++ {
			if c := n.Child(i); !c.IsNamed() {
				op += strings.ReplaceAll(b.text(c), " ", "")
			}
		}
		lv, rv := b.expr(l), b.expr(r)
		key, ok := "", lv.Value.Kind == Literal && lv.Value.Lit.Kind == Str
		if ok {
			key = lv.Value.Lit.Str
		}
		switch {
		case (op == "in" || op == "notin") && ok && isEnvMapping(rv.Name) && ciVars[key]:
			return op == "notin", true, ""
		case op == "notin" && ok && r.Kind() == "call" && rv.Call != nil && (rv.Call.Func == "locals" || rv.Call.Func == "globals") && len(rv.Call.Args) == 0:
			return true, true, key
		case op == "==" || op == "!=":
			// os.environ.get("CI") == "true": unset in production.
			for _, side := range []*Expr{lv, rv} {
				if v := side.Value; (v.Kind == EnvDefault || v.Kind == EnvRequired) && ciVars[v.Var] {
					other := rv
					if side == rv {
						other = lv
					}
					if ov := other.Value; ov.Kind == Literal && ov.Lit.Kind == Str && ov.Lit.Str != "" {
						return op == "!=", true, ""
					}
				}
			}
		}
	}
	return false, false, ""
}

// getSelf returns the dict `X.get("key", default)` reads when X["key"] is
// already a dict: `DATABASES["default"] = DATABASES.get("default", {})`
// keeps what the module set instead of replacing it.
func (b *builder) getSelf(e *Expr) *Object {
	c := e.Call
	if c == nil || !strings.HasSuffix(c.Func, ".get") {
		return nil
	}
	root := strings.TrimSuffix(c.Func, ".get")
	if strings.Contains(root, ".") {
		return nil
	}
	k := c.Positional(0)
	if k == nil || k.Value.Value.Kind != Literal || k.Value.Value.Lit.Kind != Str {
		return nil
	}
	if o := b.names[root].Get(k.Value.Value.Lit.Str); o.IsDict() {
		return o
	}
	return nil
}

// updateSource is the dict-like object `X.update(v)` / `X |= v` merges when
// v is a name bound to one, or a call known to return one
// (`DATABASES["default"].update(dj_database_url.config(conn_max_age=500))`).
func (b *builder) updateSource(st *Statement) *Object {
	v := st.Value
	if v == nil || v.Dict != nil {
		return nil
	}
	if v.Kind == "identifier" && v.Name != "" {
		if o := b.names[v.Name]; o.IsDict() {
			return o
		}
		return nil
	}
	if v.Call != nil {
		if o := b.object(v, st, nil); o.IsDict() {
			return o
		}
	}
	return nil
}

// mergeInto sets every key of src on target, as dict.update does. A dict
// a known call returns (dj_database_url.config()) then decides the keys
// that call always sets, as its own value would: target takes the call,
// unless target is a dict literal whose keys are known.
func mergeInto(target, src *Object) {
	if src == target {
		return
	}
	if src.Call != nil && target.Call == nil && target.Dict == nil {
		target.Call = src.Call
	} else if src.Call != nil && target.Call == nil && urlCall(src.Call.Func) {
		target.URLCall = src.Call
	}
	for _, k := range src.Keys() {
		target.set(k, src.Get(k))
	}
	if src.Open {
		target.Open = true
	}
}

// urlCall reports whether fn builds a database alias from a URL: a
// dj_database_url call or django-environ's env.db / db_url.
func urlCall(fn string) bool {
	return strings.HasPrefix(fn, "dj_database_url.") || strings.HasSuffix(fn, ".db") || strings.HasSuffix(fn, ".db_url")
}
