// Package queries holds the rules about the database queries a Django app
// runs per request (phase 2 of the capacity report): N+1 queries in DRF
// views, filters and orderings no index serves, and reference data read
// from the database on every request. They read the stack's model of the
// app modules (models, serializers, views); nothing is imported or run.
package queries

import (
	"bytes"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/stack"
)

// query is a queryset expression resolved to its model: the chain as
// written and the chains it extends (a local `qs = ...`, super().get_queryset()
// or the view's class-level queryset), base first, the written one last.
type query struct {
	Model *stack.Model
	Segs  []*python.Chain
	// Links are the queryset method calls of every segment, in order.
	Links []*python.Link
}

// Last is the chain as written.
func (q *query) Last() *python.Chain { return q.Segs[len(q.Segs)-1] }

// calls returns the links calling method, in order.
func (q *query) calls(method string) []*python.Link {
	var out []*python.Link
	for _, l := range q.Links {
		if l.Name == method && l.Call != nil {
			out = append(out, l)
		}
	}
	return out
}

// Has reports whether any of the methods is called.
func (q *query) has(methods ...string) bool {
	for _, m := range methods {
		if len(q.calls(m)) > 0 {
			return true
		}
	}
	return false
}

// scope is where a chain is written: the function (nil at class level)
// and the class around it (nil for a module-level function).
type scope struct {
	fn   *python.Func
	cls  *python.Class
	view *stack.View
}

// resolve follows a chain to a Model.objects (or another manager) root.
func resolve(apps *stack.Apps, app string, ch *python.Chain, sc scope, depth int) *query {
	if ch == nil || depth > 8 {
		return nil
	}
	links := ch.Links
	var base *query
	switch {
	case ch.RootCall == nil && len(links) >= 1 && links[0].Call == nil && isManager(apps, app, ch.Root, links[0].Name):
		base = &query{Model: apps.Model(ch.Root, app)}
		links = links[1:]
	case ch.Root == "super" && ch.RootCall != nil && len(links) >= 1 && links[0].Name == "get_queryset" && links[0].Call != nil:
		if sc.view == nil || sc.view.Queryset == nil {
			return nil
		}
		base = resolve(apps, app, sc.view.Queryset.Value.Chain, scope{cls: sc.cls, view: sc.view}, depth+1)
		links = links[1:]
	case ch.Root == "self" && ch.RootCall == nil && len(links) >= 1 && links[0].Name == "queryset" && links[0].Call == nil:
		if sc.view == nil || sc.view.Queryset == nil {
			return nil
		}
		base = resolve(apps, app, sc.view.Queryset.Value.Chain, scope{cls: sc.cls, view: sc.view}, depth+1)
		links = links[1:]
	case ch.RootCall == nil && sc.fn != nil:
		var local *python.Attr
		for _, l := range sc.fn.Locals {
			if l.Name == ch.Root && l.Span.End <= ch.Span.Start {
				local = l
			}
		}
		if local == nil || local.Value.Chain == nil || local.Value.Chain == ch {
			return nil
		}
		base = resolve(apps, app, local.Value.Chain, sc, depth+1)
	}
	if base == nil || base.Model == nil {
		return nil
	}
	q := &query{Model: base.Model, Segs: append(append([]*python.Chain(nil), base.Segs...), ch), Links: append([]*python.Link(nil), base.Links...)}
	for _, l := range links {
		if l.Call == nil {
			return nil // an attribute of a queryset: not a queryset
		}
		q.Links = append(q.Links, l)
	}
	return q
}

// isManager reports whether root.name is a model's manager: `objects`, or
// a manager the model declares.
func isManager(apps *stack.Apps, app, root, name string) bool {
	m := apps.Model(root, app)
	if m == nil || m.Class == nil {
		return false
	}
	if name == "objects" {
		return true
	}
	at := m.Class.Attr(name)
	if at == nil || at.Value.Call == nil {
		return false
	}
	fn := at.Value.Call.Func
	return strings.Contains(fn, "Manager") || strings.HasSuffix(fn, ".as_manager")
}

// notQueryset are queryset methods whose result is not a queryset of
// model instances: a chain using one is not what a view serializes.
var notQueryset = map[string]bool{
	"values": true, "values_list": true, "first": true, "last": true, "get": true, "count": true, "exists": true,
	"aggregate": true, "iterator": true, "in_bulk": true, "update": true, "delete": true, "raw": true, "none": true,
	"latest": true, "earliest": true, "create": true, "get_or_create": true, "update_or_create": true, "dates": true, "datetimes": true,
}

// literalArgs returns the string-literal positional arguments of the
// links calling method; ok is false when any argument is something else
// (a Prefetch object, a variable, *args), which may cover anything.
func literalArgs(ls []*python.Link) (out []string, ok bool) {
	ok = true
	for _, l := range ls {
		for _, a := range l.Call.Args {
			v := a.Value.Value
			switch {
			case a.Name == "" && !a.Splat && v.Kind == python.Literal && v.Lit.Kind == python.Str:
				out = append(out, v.Lit.Str)
			case a.Value.Call != nil && strings.HasSuffix(a.Value.Call.Func, "Prefetch"):
				// Prefetch("messages", queryset=...): the lookup and
				// everything under it, which its queryset may fetch.
				if p := a.Value.Call.Positional(0); p != nil && p.Value.Value.Kind == python.Literal && p.Value.Value.Lit.Kind == python.Str {
					out = append(out, p.Value.Value.Lit.Str+"__*")
					continue
				}
				ok = false
			default:
				ok = false
			}
		}
	}
	return out, ok
}

// quoteOf is the quote the chain's string arguments use, else the one the
// file uses most.
func quoteOf(doc *parsers.Document, q *query) byte {
	for _, l := range q.Links {
		for _, a := range l.Call.Args {
			if v := a.Value.Value; v.Kind == python.Literal && v.Lit.Kind == python.Str && v.Lit.Quote != 0 {
				return v.Lit.Quote
			}
		}
	}
	if bytes.Count(doc.Src, []byte("'")) > bytes.Count(doc.Src, []byte(`"`)) {
		return '\''
	}
	return '"'
}

func quote(s string, q byte) string { return string(q) + s + string(q) }

// eachFunc calls fn for every function of the app module (module-level
// functions and methods of its classes) with its scope, and for every
// class with a nil function (its class-level chains).
func eachScope(apps *stack.Apps, f *stack.File, fn func(sc scope, chains []*python.Chain)) {
	m := f.Python
	views := map[*python.Class]*stack.View{}
	for _, v := range apps.Views {
		if v.File == f {
			views[v.Class] = v
		}
	}
	for _, fu := range m.Funcs {
		fn(scope{fn: fu}, fu.Chains)
	}
	var walk func(c *python.Class)
	walk = func(c *python.Class) {
		v := views[c]
		fn(scope{cls: c, view: v}, c.Chains)
		for _, mt := range c.Methods {
			fn(scope{fn: mt, cls: c, view: v}, mt.Chains)
		}
		for _, n := range c.Classes {
			walk(n)
		}
	}
	for _, c := range m.Classes {
		walk(c)
	}
}
