package python

import (
	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// Helper functions: a settings module may build several dicts with one
// module-level function that returns a dict literal, its parameters
// substituted (`def _make_cache_config(dbnum, **overrides): return {...} |
// overrides`, then `CACHES = {"default": _make_cache_config(0), ...}`).
// A call to such a function reads as the returned expression, built with
// the call's arguments in place of the parameters; a `|` of two dicts
// merges them, and `overrides.pop("KEY", default)` takes a keyword
// argument out of the **kwargs. Findings and fixes then point into the
// function's own dict literal, which every such call shares.

// maxInline bounds nested helper calls (a helper calling a helper).
const maxInline = 4

// kwargs is what a **kwargs parameter holds for one call: its keyword
// arguments not matched by a named parameter, in order.
type kwargs struct {
	keys []string
	vals map[string]*Expr
}

func (k *kwargs) pop(key string) (*Expr, bool) {
	v, ok := k.vals[key]
	if !ok {
		return nil, false
	}
	delete(k.vals, key)
	for i, x := range k.keys {
		if x == key {
			k.keys = append(k.keys[:i:i], k.keys[i+1:]...)
			break
		}
	}
	return v, true
}

// helper records a function definition whose body is one return statement
// (a docstring aside): the functions a call can be read through.
func (b *builder) helper(n *sitter.Node) {
	name, body := n.ChildByFieldName("name"), n.ChildByFieldName("body")
	if name == nil || body == nil {
		return
	}
	var ret *sitter.Node
	for i := uint(0); i < body.NamedChildCount(); i++ {
		c := body.NamedChild(i)
		switch {
		case c.Kind() == "comment":
		case i == 0 && c.Kind() == "expression_statement" && c.NamedChildCount() == 1 && c.NamedChild(0).Kind() == "string":
		case c.Kind() == "return_statement" && ret == nil && c.NamedChildCount() == 1:
			ret = c
		default:
			delete(b.funcs, b.text(name))
			return
		}
	}
	if ret == nil {
		delete(b.funcs, b.text(name))
		return
	}
	if b.funcs == nil {
		b.funcs = map[string]*sitter.Node{}
	}
	b.funcs[b.text(name)] = n
}

// inline builds the expression a call to the helper fn returns, with the
// call's arguments bound to its parameters; nil when the call does not fit
// the parameters (a *args, a positional splat, a missing argument).
func (b *builder) inline(fn *sitter.Node, c *Call) *Expr {
	if b.inlining >= maxInline {
		return nil
	}
	for _, a := range c.Args {
		if a.Splat {
			return nil
		}
	}
	scope := map[string]*Expr{}
	var kw *kwargs
	kwName := ""
	used := map[string]bool{}
	params := fn.ChildByFieldName("parameters")
	pos := 0
	for i := uint(0); params != nil && i < params.NamedChildCount(); i++ {
		p := params.NamedChild(i)
		var name string
		var def *sitter.Node
		switch p.Kind() {
		case "identifier":
			name = b.text(p)
		case "typed_parameter":
			if p.NamedChildCount() > 0 && p.NamedChild(0).Kind() == "identifier" {
				name = b.text(p.NamedChild(0))
			}
		case "default_parameter", "typed_default_parameter":
			if nm := p.ChildByFieldName("name"); nm != nil {
				name = b.text(nm)
			}
			def = p.ChildByFieldName("value")
		case "dictionary_splat_pattern":
			if p.NamedChildCount() > 0 {
				kwName = b.text(p.NamedChild(0))
				kw = &kwargs{vals: map[string]*Expr{}}
			}
			continue
		case "keyword_separator":
			continue
		default:
			return nil // *args and the like
		}
		if name == "" {
			return nil
		}
		if a := c.Kwarg(name); a != nil {
			scope[name] = a.Value
			used[name] = true
		} else if a := c.Positional(pos); a != nil {
			scope[name] = a.Value
			pos++
		} else if def != nil {
			scope[name] = b.expr(def)
		} else {
			return nil
		}
	}
	if c.Positional(pos) != nil {
		return nil // more positional arguments than parameters
	}
	for _, a := range c.Args {
		if a.Name == "" || used[a.Name] {
			continue
		}
		if kw == nil {
			return nil
		}
		kw.keys = append(kw.keys, a.Name)
		kw.vals[a.Name] = a.Value
	}
	body := fn.ChildByFieldName("body")
	var ret *sitter.Node
	for i := uint(0); i < body.NamedChildCount(); i++ {
		if c := body.NamedChild(i); c.Kind() == "return_statement" {
			ret = c.NamedChild(0)
		}
	}
	outerScope, outerKw := b.scope, b.kwScope
	b.scope, b.kwScope = scope, map[string]*kwargs{}
	if kw != nil {
		b.kwScope[kwName] = kw
	}
	b.inlining++
	e := b.expr(ret)
	b.inlining--
	b.scope, b.kwScope = outerScope, outerKw
	return e
}

// kwargsPop reads `overrides.pop("KEY", default)` on a **kwargs parameter
// of the helper being read: the keyword argument KEY (taken out of it), or
// the default.
func (b *builder) kwargsPop(c *Call) (*Expr, bool) {
	if len(c.Func) < 5 || c.Func[len(c.Func)-4:] != ".pop" {
		return nil, false
	}
	kw := b.kwScope[c.Func[:len(c.Func)-4]]
	k := c.Positional(0)
	if kw == nil || k == nil || k.Value.Value.Kind != Literal || k.Value.Value.Lit.Kind != Str {
		return nil, false
	}
	if v, ok := kw.pop(k.Value.Value.Lit.Str); ok {
		return v, true
	}
	if d := c.Positional(1); d != nil {
		return d.Value, true
	}
	return nil, false
}

// merged builds the object `left | right` holds where left is a dict:
// left's keys, then right's (winning), or left's keys in a dict that may
// hold others when right is not a dict headroom can read.
func (b *builder) merged(e *Expr, st *Statement, entry *Entry) *Object {
	l := b.object(e.Merge[0], st, nil)
	if !l.IsDict() {
		return nil
	}
	o := &Object{Expr: e, Stmt: st, Entry: entry, Conditional: st.Conditional, Dict: l.Dict, Call: l.Call, Open: l.Open, fields: map[string]*Object{}}
	mergeInto(o, l)
	if r := b.object(e.Merge[1], st, nil); r.IsDict() {
		mergeInto(o, r)
	} else {
		o.Open = true
	}
	return o
}

// kwargsObject is the dict a **kwargs parameter holds.
func (b *builder) kwargsObject(e *Expr, st *Statement, entry *Entry) *Object {
	o := &Object{Expr: e, Stmt: st, Entry: entry, Conditional: st.Conditional, fields: map[string]*Object{}}
	for _, k := range e.Kwargs.keys {
		o.set(k, b.object(e.Kwargs.vals[k], st, nil))
	}
	return o
}
