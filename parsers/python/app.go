package python

import (
	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"

	"github.com/headroom-dev/headroom/parsers"
)

// The modules of a Django app (models, serializers, views) are read for
// their structure rather than their values: classes with their bases,
// class-level bindings, methods and nested classes (a model's Meta), and
// the attribute and call chains functions evaluate
// (ChatSession.objects.filter(...).select_related(...)), each with the
// spans a fix needs. Nothing is evaluated or imported.

// Class is a class statement.
type Class struct {
	Name     string
	Span     parsers.Span // the statement, decorators included
	NameSpan parsers.Span
	// Bases are the positional superclasses as written; keyword arguments
	// (metaclass=...) are left out.
	Bases      []*Expr
	Decorators []*Expr
	Attrs      []*Attr  // `name = value` statements of the body, in order
	Methods    []*Func  // functions defined in the body, in order
	Classes    []*Class // nested classes (a model's or serializer's Meta)
	// Chains are the chains the body's bindings evaluate, outermost only,
	// methods excluded.
	Chains []*Chain
	// Indent is the indentation of the body's statements; BodyEnd is the
	// offset past the line terminator of its last statement, where a new
	// statement of the body goes. BodyInline says the body shares the
	// header's line (`class Meta: abstract = True`), where no statement can
	// be added below.
	Indent     string
	BodyEnd    int
	BodyInline bool
}

// Attr returns the last binding of name in the class body, or nil.
func (c *Class) Attr(name string) *Attr {
	for i := len(c.Attrs) - 1; i >= 0; i-- {
		if c.Attrs[i].Name == name {
			return c.Attrs[i]
		}
	}
	return nil
}

// Method returns the last method called name, or nil.
func (c *Class) Method(name string) *Func {
	for i := len(c.Methods) - 1; i >= 0; i-- {
		if c.Methods[i].Name == name {
			return c.Methods[i]
		}
	}
	return nil
}

// Nested returns the last nested class called name, or nil.
func (c *Class) Nested(name string) *Class {
	for i := len(c.Classes) - 1; i >= 0; i-- {
		if c.Classes[i].Name == name {
			return c.Classes[i]
		}
	}
	return nil
}

// Attr is a `name = value` statement (annotated or not) of a class or
// function body.
type Attr struct {
	Name    string
	Span    parsers.Span // the statement
	Value   *Expr        // with Chain set when it is a chain
	LineEnd int          // past the statement's last line terminator
}

// Func is a function or method definition.
type Func struct {
	Name       string
	Span       parsers.Span
	Params     []string // parameter names in order, self included
	Decorators []*Expr
	// Returns are the values of the function's own return statements (not
	// those of nested functions or lambdas), with Chain set, in source
	// order.
	Returns []*Expr
	// Locals are the function's `name = value` statements, in source order.
	Locals []*Attr
	// Chains are the chains the body evaluates, outermost only: `a.b(c.d)`
	// gives a.b(...) and c.d. Nested functions and lambdas count as part of
	// the body.
	Chains []*Chain
}

// Chain is an expression read as a root name followed by attribute
// accesses and calls, such as Message.objects.filter(session=s).order_by("-id")
// or obj.user.settings.
type Chain struct {
	// Root is the name the chain starts from. RootCall is set when the
	// root is itself called (super().get_queryset(), Prefetch(...)).
	Root     string
	RootCall *Call
	Span     parsers.Span // the whole expression
	Links    []*Link
}

// Link is one `.name` of a chain, with its call when it is called.
type Link struct {
	Name     string
	Dot      int // offset of the "."
	NameSpan parsers.Span
	Call     *Call
}

// Path is the root and the link names, dot-joined ("Message.objects.filter").
func (c *Chain) Path() string {
	s := c.Root
	for _, l := range c.Links {
		s += "." + l.Name
	}
	return s
}

// List is a list or tuple literal.
type List struct {
	Open, Close   int // offsets of the brackets; both -1 for a bare tuple
	Items         []*Expr
	TrailingComma bool
}

// Strings returns the items when every one is a string literal.
func (l *List) Strings() ([]string, bool) {
	if l == nil {
		return nil, false
	}
	out := make([]string, 0, len(l.Items))
	for _, it := range l.Items {
		if it.Value.Kind != Literal || it.Value.Lit.Kind != Str {
			return nil, false
		}
		out = append(out, it.Value.Lit.Str)
	}
	return out, true
}

func (b *builder) list(n *sitter.Node) *List {
	l := &List{Open: -1, Close: -1}
	count := n.ChildCount()
	if count > 0 {
		if first := n.Child(0); first.Kind() == "(" || first.Kind() == "[" {
			l.Open = b.span(first).Start
			l.Close = b.span(n).End - 1
		}
	}
	for i := uint(0); i < count; i++ {
		if c := n.Child(i); c.IsNamed() && c.Kind() != "comment" {
			l.Items = append(l.Items, b.expr(c))
		}
	}
	l.TrailingComma = l.Open >= 0 && len(l.Items) > 0 && b.lastBeforeClose(n) == ","
	return l
}

// lastBeforeClose is the kind of the last non-comment child before the
// closing bracket.
func (b *builder) lastBeforeClose(n *sitter.Node) string {
	for i := int(n.ChildCount()) - 2; i >= 0; i-- {
		if c := n.Child(uint(i)); c.Kind() != "comment" {
			return c.Kind()
		}
	}
	return ""
}

// chain reads n as a chain, or returns nil.
func (b *builder) chain(n *sitter.Node) *Chain {
	switch n.Kind() {
	case "identifier":
		return &Chain{Root: b.text(n), Span: b.span(n)}
	case "parenthesized_expression":
		if n.NamedChildCount() == 1 {
			return b.chain(n.NamedChild(0))
		}
	case "attribute":
		obj, attr := n.ChildByFieldName("object"), n.ChildByFieldName("attribute")
		if obj == nil || attr == nil {
			return nil
		}
		c := b.chain(obj)
		if c == nil {
			return nil
		}
		dot := -1
		for i := uint(0); i < n.ChildCount(); i++ {
			if ch := n.Child(i); ch.Kind() == "." {
				dot = b.span(ch).Start
			}
		}
		c.Links = append(c.Links, &Link{Name: b.text(attr), Dot: dot, NameSpan: b.span(attr)})
		c.Span = b.span(n)
		return c
	case "call":
		fn := n.ChildByFieldName("function")
		if fn == nil {
			return nil
		}
		c := b.chain(fn)
		if c == nil {
			return nil
		}
		call := b.call(n)
		if call == nil {
			return nil
		}
		if len(c.Links) == 0 {
			if c.RootCall != nil {
				return nil
			}
			c.RootCall = call
		} else {
			last := c.Links[len(c.Links)-1]
			if last.Call != nil {
				return nil // a.b()(): calling a call's result
			}
			last.Call = call
		}
		c.Span = b.span(n)
		return c
	}
	return nil
}

// value is expr with the chain read too.
func (b *builder) value(n *sitter.Node) *Expr {
	e := b.expr(n)
	e.Chain = b.chain(n)
	return e
}

// chains appends the outermost chains under n. inner says n is the object
// or callee of an enclosing chain, so it is part of that chain.
func (b *builder) chains(n *sitter.Node, inner bool, out *[]*Chain) {
	switch n.Kind() {
	case "class_definition":
		return
	case "attribute":
		if !inner {
			if c := b.chain(n); c != nil {
				*out = append(*out, c)
			}
		}
		if obj := n.ChildByFieldName("object"); obj != nil {
			b.chains(obj, true, out)
		}
		return
	case "call":
		if !inner {
			if c := b.chain(n); c != nil {
				*out = append(*out, c)
			}
		}
		if fn := n.ChildByFieldName("function"); fn != nil {
			b.chains(fn, true, out)
		}
		if args := n.ChildByFieldName("arguments"); args != nil {
			b.chains(args, false, out)
		}
		return
	case "parenthesized_expression":
		for i := uint(0); i < n.NamedChildCount(); i++ {
			b.chains(n.NamedChild(i), inner, out)
		}
		return
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		b.chains(n.NamedChild(i), false, out)
	}
}

// definition records a module-level class or function.
func (b *builder) definition(n *sitter.Node) {
	switch c, f := b.def(n); {
	case c != nil:
		b.m.Classes = append(b.m.Classes, c)
	case f != nil:
		b.m.Funcs = append(b.m.Funcs, f)
	}
}

// def reads a class or function definition, decorated or not.
func (b *builder) def(n *sitter.Node) (*Class, *Func) {
	var decorators []*Expr
	outer := n
	if n.Kind() == "decorated_definition" {
		for i := uint(0); i < n.NamedChildCount(); i++ {
			if d := n.NamedChild(i); d.Kind() == "decorator" && d.NamedChildCount() > 0 {
				decorators = append(decorators, b.expr(d.NamedChild(0)))
			}
		}
		n = n.ChildByFieldName("definition")
		if n == nil {
			return nil, nil
		}
	}
	switch n.Kind() {
	case "class_definition":
		c := b.class(n)
		if c != nil {
			c.Span, c.Decorators = b.span(outer), decorators
		}
		return c, nil
	case "function_definition":
		f := b.function(n)
		if f != nil {
			f.Span, f.Decorators = b.span(outer), decorators
		}
		return nil, f
	}
	return nil, nil
}

func (b *builder) class(n *sitter.Node) *Class {
	name, body := n.ChildByFieldName("name"), n.ChildByFieldName("body")
	if name == nil || body == nil {
		return nil
	}
	c := &Class{Name: b.text(name), NameSpan: b.span(name)}
	if sup := n.ChildByFieldName("superclasses"); sup != nil {
		for i := uint(0); i < sup.NamedChildCount(); i++ {
			if a := sup.NamedChild(i); a.Kind() != "keyword_argument" && a.Kind() != "comment" {
				c.Bases = append(c.Bases, b.expr(a))
			}
		}
	}
	var last *sitter.Node
	for i := uint(0); i < body.NamedChildCount(); i++ {
		st := body.NamedChild(i)
		if st.Kind() == "comment" {
			continue
		}
		if last == nil {
			c.Indent = b.doc.Indentation(b.span(st).Start)
			c.BodyInline = b.doc.Position(b.span(st).Start).Line == b.doc.Position(b.span(name).Start).Line
		}
		last = st
		switch st.Kind() {
		case "expression_statement":
			if a := b.assign(st); a != nil {
				c.Attrs = append(c.Attrs, a)
				if v := st.NamedChild(0).ChildByFieldName("right"); v != nil {
					b.chains(v, false, &c.Chains)
				}
			}
		case "class_definition", "function_definition", "decorated_definition":
			switch k, f := b.def(st); {
			case k != nil:
				c.Classes = append(c.Classes, k)
			case f != nil:
				c.Methods = append(c.Methods, f)
			}
		}
	}
	if last != nil {
		c.BodyEnd = b.lineEnd(b.span(last).End)
	}
	return c
}

// assign reads `name = value` (or `name: T = value`) from an expression
// statement.
func (b *builder) assign(st *sitter.Node) *Attr {
	if st.NamedChildCount() != 1 {
		return nil
	}
	n := st.NamedChild(0)
	if n.Kind() != "assignment" {
		return nil
	}
	left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
	if left == nil || right == nil || left.Kind() != "identifier" || right.Kind() == "assignment" {
		return nil
	}
	sp := b.span(st)
	return &Attr{Name: b.text(left), Span: sp, Value: b.value(right), LineEnd: b.lineEnd(sp.End)}
}

func (b *builder) function(n *sitter.Node) *Func {
	name, body := n.ChildByFieldName("name"), n.ChildByFieldName("body")
	if name == nil || body == nil {
		return nil
	}
	f := &Func{Name: b.text(name)}
	if ps := n.ChildByFieldName("parameters"); ps != nil {
		for i := uint(0); i < ps.NamedChildCount(); i++ {
			p := ps.NamedChild(i)
			switch p.Kind() {
			case "identifier":
				f.Params = append(f.Params, b.text(p))
			case "typed_parameter":
				if p.NamedChildCount() > 0 && p.NamedChild(0).Kind() == "identifier" {
					f.Params = append(f.Params, b.text(p.NamedChild(0)))
				}
			case "default_parameter", "typed_default_parameter":
				if pn := p.ChildByFieldName("name"); pn != nil {
					f.Params = append(f.Params, b.text(pn))
				}
			}
		}
	}
	b.body(body, f)
	b.chains(body, false, &f.Chains)
	return f
}

// body collects a function body's own returns and local assignments.
func (b *builder) body(n *sitter.Node, f *Func) {
	switch n.Kind() {
	case "function_definition", "lambda", "class_definition":
		return
	case "return_statement":
		if n.NamedChildCount() > 0 {
			f.Returns = append(f.Returns, b.value(n.NamedChild(0)))
		}
		return
	case "expression_statement":
		if a := b.assign(n); a != nil {
			f.Locals = append(f.Locals, a)
		}
		return
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		b.body(n.NamedChild(i), f)
	}
}
