package python

import "github.com/headroom-dev/headroom/parsers"

// Object is what a module-level name, or a key under one, holds after the
// module's statements ran in order (control flow aside: conditional
// statements count as run, and say so).
type Object struct {
	// Expr is the expression last bound to it. Nil for a key a known call
	// sets without an argument for it.
	Expr *Expr
	// Stmt is the module-level statement that bound it.
	Stmt *Statement
	// Entry is the dict-literal entry that bound it, when it was bound
	// inside a dict literal (possibly nested in Stmt's value).
	Entry *Entry
	// Arg is the keyword argument of a known call that bound it
	// (dj_database_url.config(conn_max_age=600) binds CONN_MAX_AGE).
	Arg *Arg
	// Conditional says the binding statement may not run.
	Conditional bool
	// Else is, for a conditional binding of a name, what the name held
	// before it: its value where the binding does not run (see
	// Statement.RunsIf and Statement.Except).
	Else *Object
	// Alt is, for a dict bound under a condition, the dict the name held
	// before it: another branch of an if/else (`if URL: DATABASES = {...}
	// else: DATABASES = {...}`), or what runs where the condition is false.
	// Both may be what production runs, so both are judged (see Alts).
	Alt *Object

	// Dict is the dict literal the object was built from: where new keys
	// of it are inserted.
	Dict *Dict
	// Call is the known call that built a dict-like object:
	// dj_database_url.config/parse, env.db, env.cache, ...
	Call *Call
	// Open says the object may hold keys not listed here (a **splat, a
	// call's result, an .update() of something unknown).
	Open bool
	// URLCall is the database URL call (dj_database_url.config/parse,
	// env.db) a dict literal was .update()d with: where the deployment sets
	// the URL, its ENGINE, HOST and OPTIONS replace the literal's (see
	// mergeInto); Call stays nil, as the literal decides where it is unset.
	URLCall *Call

	keys   []string
	fields map[string]*Object
}

// IsDict reports whether the object is dict-like (keys are known or may be
// set).
func (o *Object) IsDict() bool { return o != nil && o.fields != nil }

// Alts lists the dicts the object may be at run time: itself, then the
// other branches' dicts (Alt), in reverse order of binding.
func (o *Object) Alts() []*Object {
	var out []*Object
	seen := map[*Object]bool{}
	for ; o != nil && !seen[o]; o = o.Alt {
		seen[o] = true
		out = append(out, o)
	}
	return out
}

// Get returns the object a key holds, or nil.
func (o *Object) Get(key string) *Object {
	if o == nil || o.fields == nil {
		return nil
	}
	return o.fields[key]
}

// Keys lists the keys, in the order they were first set.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Value is what the object's expression evaluates to (Unknown when there
// is none).
func (o *Object) Value() Value {
	if o == nil || o.Expr == nil {
		return Value{}
	}
	return o.Expr.Value
}

// Span is where a finding about the object points: its value as written,
// or the call that sets it implicitly.
func (o *Object) Span() parsers.Span {
	switch {
	case o.Expr != nil:
		return o.Expr.Span
	case o.Call != nil:
		return o.Call.Span
	case o.Stmt != nil:
		return o.Stmt.Span
	}
	return parsers.Span{}
}

// BoundBySubscript says the binding was a subscript assignment
// (`X["a"]["b"] = v`), the form new sibling keys should take.
func (o *Object) BoundBySubscript() bool {
	return o != nil && o.Entry == nil && o.Arg == nil && o.Stmt != nil && len(o.Stmt.Keys) > 0
}

func (o *Object) set(key string, v *Object) {
	if o.fields == nil {
		o.fields = map[string]*Object{}
	}
	if _, ok := o.fields[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.fields[key] = v
}

// dictCalls are the calls that return a settings dict, with the keyword
// arguments that set its keys.
var dictCalls = map[string]map[string]string{
	"dj_database_url.config": {"conn_max_age": "CONN_MAX_AGE", "conn_health_checks": "CONN_HEALTH_CHECKS", "engine": "ENGINE", "test_options": "TEST"},
	"dj_database_url.parse":  {"conn_max_age": "CONN_MAX_AGE", "conn_health_checks": "CONN_HEALTH_CHECKS", "engine": "ENGINE", "test_options": "TEST"},
	"env.db":                 {"engine": "ENGINE"},
	"env.db_url":             {"engine": "ENGINE"},
	"env.cache":              {"backend": "BACKEND"},
	"env.cache_url":          {"backend": "BACKEND"},
}

// DictCall reports whether the call is one headroom knows returns a
// settings dict, by its dotted name with the Env instance's name folded to
// "env".
func (b *builder) dictCall(c *Call) (map[string]string, bool) {
	name := c.Func
	for env := range b.envNames {
		if len(name) > len(env) && name[:len(env)+1] == env+"." {
			name = "env." + name[len(env)+1:]
		}
	}
	kw, ok := dictCalls[name]
	return kw, ok
}

// object builds the Object an expression bound by st (inside entry) holds.
func (b *builder) object(e *Expr, st *Statement, entry *Entry) *Object {
	if e.Name != "" && e.Kind == "identifier" {
		if o := b.names[e.Name]; o.IsDict() {
			return o // Python binds the same dict: mutations show through both names
		}
	}
	if o := b.getSelf(e); o != nil {
		return o
	}
	switch {
	case e.Inline != nil:
		o := b.object(e.Inline, st, entry)
		if e.Cond && o.Stmt == st {
			o.Conditional = true
		}
		return o
	case e.Kwargs != nil:
		return b.kwargsObject(e, st, entry)
	case len(e.Merge) == 2:
		if o := b.merged(e, st, entry); o != nil {
			return o
		}
	}
	o := &Object{Expr: e, Stmt: st, Entry: entry, Conditional: st.Conditional}
	switch {
	case e.Dict != nil:
		o.Dict = e.Dict
		o.fields = map[string]*Object{}
		o.Open = len(e.Dict.Splats) > 0
		for _, en := range e.Dict.Entries {
			if !en.KeyKnown {
				o.Open = true
				continue
			}
			o.set(en.Key, b.object(en.Value, st, en))
		}
	case e.Call != nil:
		if kw, ok := b.dictCall(e.Call); ok {
			o.Call = e.Call
			o.fields = map[string]*Object{}
			o.Open = true
			for _, a := range e.Call.Args {
				if key, ok := kw[a.Name]; ok {
					o.set(key, &Object{Expr: a.Value, Stmt: st, Arg: a, Conditional: st.Conditional})
				}
			}
		}
	}
	return o
}

// eval runs one statement against the module's names.
func (b *builder) eval(st *Statement) {
	if st.IfUnbound != "" && b.names[st.IfUnbound] != nil {
		return
	}
	root := b.names[st.Name]
	switch st.Op {
	case "=":
		if len(st.Keys) == 0 {
			prev := b.names[st.Name]
			o := b.object(st.Value, st, nil)
			switch {
			case st.Conditional && o != prev && !o.IsDict():
				o.Else = prev
			case st.Conditional && o != prev && o.Stmt == st && o.Alt == nil && prev.IsDict():
				o.Alt = prev
			}
			b.names[st.Name] = o
			return
		}
		if root == nil && len(st.Keys) == 1 {
			root = b.unseen(st)
		}
		for _, parent := range walkAll(root, st.Keys[:len(st.Keys)-1]) {
			if parent.IsDict() {
				parent.set(st.Keys[len(st.Keys)-1], b.object(st.Value, st, nil))
			}
		}
	case "|=", ".update":
		if root == nil && len(st.Keys) == 1 {
			if root = b.unseen(st); root != nil {
				root.set(st.Keys[0], &Object{Stmt: st, Conditional: st.Conditional, Open: true, fields: map[string]*Object{}})
			}
		}
		for _, target := range walkAll(root, st.Keys) {
			if target.IsDict() {
				b.update(st, target)
			}
		}
	default:
		// Other augmented assignments make the value unknown.
		if len(st.Keys) == 0 {
			b.names[st.Name] = &Object{Expr: &Expr{Kind: "augmented_assignment", Span: st.Span}, Stmt: st, Conditional: st.Conditional}
			return
		}
		parent := walk(root, st.Keys[:len(st.Keys)-1])
		if parent.IsDict() {
			parent.set(st.Keys[len(st.Keys)-1], &Object{Expr: &Expr{Kind: "augmented_assignment", Span: st.Span}, Stmt: st, Conditional: st.Conditional})
		}
	}
}

// update merges st's value (`X.update(v)`, `X |= v`) into target.
func (b *builder) update(st *Statement, target *Object) {
	if st.Value != nil {
		if src := b.updateSource(st); src != nil {
			mergeInto(target, src)
		} else if st.Value.Dict == nil {
			target.Open = true
		} else {
			for _, en := range st.Value.Dict.Entries {
				if en.KeyKnown {
					target.set(en.Key, b.object(en.Value, st, en))
				} else {
					target.Open = true
				}
			}
		}
	}
	if st.Call != nil {
		for _, a := range st.Call.Args {
			switch {
			case a.Name != "":
				target.set(a.Name, &Object{Expr: a.Value, Stmt: st, Arg: a, Conditional: st.Conditional})
			case a.Splat:
				target.Open = true
			}
		}
	}
}

// walkAll follows keys from o through every branch's dict (Alts): a
// statement after an if/else that sets `X["a"]["b"]` changes the dict
// each branch bound.
func walkAll(o *Object, keys []string) []*Object {
	cur := o.Alts()
	for _, k := range keys {
		var next []*Object
		seen := map[*Object]bool{}
		for _, x := range cur {
			for _, y := range x.Get(k).Alts() {
				if !seen[y] {
					seen[y] = true
					next = append(next, y)
				}
			}
		}
		cur = next
	}
	return cur
}

func walk(o *Object, keys []string) *Object {
	for _, k := range keys {
		o = o.Get(k)
	}
	return o
}

// unseen binds st's name, which the module uses unbound, to a dict whose
// keys are unknown, where a star import of a module not in view may have
// bound it (`from .base import *` then `DATABASES["default"] = ...` or
// `DATABASES["default"].update(...)`); nil otherwise.
func (b *builder) unseen(st *Statement) *Object {
	if !b.starUnknown {
		return nil
	}
	root := &Object{Stmt: st, Conditional: st.Conditional, Open: true, fields: map[string]*Object{}}
	b.names[st.Name] = root
	return root
}
