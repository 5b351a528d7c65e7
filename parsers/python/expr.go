package python

import (
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// expr builds an Expr for node n, with its value.
func (b *builder) expr(n *sitter.Node) *Expr {
	e := &Expr{Kind: n.Kind(), Span: b.span(n)}
	switch n.Kind() {
	case "parenthesized_expression":
		if n.NamedChildCount() == 1 {
			inner := b.expr(n.NamedChild(0))
			e.Dict, e.Call, e.Name, e.Value = inner.Dict, inner.Call, inner.Name, inner.Value
			e.Inline, e.Merge, e.Kwargs, e.Cond = inner.Inline, inner.Merge, inner.Kwargs, inner.Cond
		}
	case "conditional_expression":
		b.conditionalExpr(e, n)
	case "integer":
		if v, err := strconv.ParseInt(strings.TrimRight(strings.ToLower(b.text(n)), "l"), 0, 64); err == nil {
			e.Value = Value{Kind: Literal, Lit: Lit{Kind: Int, Int: v}}
		}
	case "float":
		t := strings.ReplaceAll(b.text(n), "_", "")
		if v, err := strconv.ParseFloat(t, 64); err == nil {
			e.Value = Value{Kind: Literal, Lit: Lit{Kind: Float, Float: v}}
		}
	case "true", "false":
		e.Value = Value{Kind: Literal, Lit: Lit{Kind: Bool, Bool: n.Kind() == "true"}}
	case "none":
		e.Value = Value{Kind: Literal, Lit: Lit{Kind: None}}
	case "string":
		if s, q, ok := b.stringLit(n); ok {
			e.Value = Value{Kind: Literal, Lit: Lit{Kind: Str, Str: s, Quote: q}}
		} else {
			e.Value = b.fstring(n)
		}
	case "concatenated_string":
		var sb strings.Builder
		var quote byte
		ok := true
		for i := uint(0); i < n.NamedChildCount() && ok; i++ {
			var s string
			var q byte
			s, q, ok = b.stringLit(n.NamedChild(i))
			if quote == 0 {
				quote = q
			}
			sb.WriteString(s)
		}
		if ok {
			e.Value = Value{Kind: Literal, Lit: Lit{Kind: Str, Str: sb.String(), Quote: quote}}
		}
	case "unary_operator":
		arg, op := n.ChildByFieldName("argument"), n.ChildByFieldName("operator")
		if arg != nil && op != nil {
			a := b.expr(arg)
			if a.Value.Kind == Literal {
				switch l := a.Value.Lit; {
				case b.text(op) == "-" && l.Kind == Int:
					e.Value = Value{Kind: Literal, Lit: Lit{Kind: Int, Int: -l.Int}}
				case b.text(op) == "-" && l.Kind == Float:
					e.Value = Value{Kind: Literal, Lit: Lit{Kind: Float, Float: -l.Float}}
				case b.text(op) == "+":
					e.Value = a.Value
				}
			}
		}
	case "binary_operator":
		if op := n.ChildByFieldName("operator"); op != nil && b.text(op) == "|" {
			if l, r := n.ChildByFieldName("left"), n.ChildByFieldName("right"); l != nil && r != nil {
				e.Merge = []*Expr{b.expr(l), b.expr(r)}
			}
			break
		}
		e.Value = b.arith(n)
	case "identifier":
		e.Name = b.text(n)
		if a, ok := b.scope[e.Name]; ok {
			return a // a helper's parameter: the call's argument
		}
		if kw := b.kwScope[e.Name]; kw != nil {
			e.Kwargs = kw
			break
		}
		e.Value = b.nameValue(e.Name)
	case "attribute":
		e.Name = dotted(b, n)
	case "dictionary":
		e.Dict = b.dict(n)
	case "list", "tuple":
		// Settings read lists too: CHANNEL_LAYERS' hosts, a cache's
		// LOCATION list.
		e.List = b.list(n)
	case "call":
		e.Call = b.call(n)
		if e.Call != nil {
			e.Value = b.callValue(e.Call)
			if v, inline := b.valuesCall(e.Call); v.Kind != Unknown || inline != nil {
				e.Value, e.Inline = v, inline
			}
			if fn := b.funcs[e.Call.Func]; fn != nil {
				e.Inline = b.inline(fn, e.Call)
			} else if v, ok := b.kwargsPop(e.Call); ok {
				e.Inline = v
			}
			if e.Inline != nil {
				e.Value = e.Inline.Value
			}
		}
	case "subscript":
		// os.environ["X"]: required variable.
		val, sub := n.ChildByFieldName("value"), n.ChildByFieldName("subscript")
		if val != nil && sub != nil && isEnvMapping(dotted(b, val)) {
			if k := b.expr(sub); k.Value.Kind == Literal && k.Value.Lit.Kind == Str {
				e.Value = Value{Kind: EnvRequired, Var: k.Value.Lit.Str}
			}
		}
	}
	return e
}

// arith evaluates + - * // on int literals (CONN_MAX_AGE = 60 * 10).
func (b *builder) arith(n *sitter.Node) Value {
	l, r, op := n.ChildByFieldName("left"), n.ChildByFieldName("right"), n.ChildByFieldName("operator")
	if l == nil || r == nil || op == nil {
		return Value{}
	}
	lv, rv := b.expr(l).Value, b.expr(r).Value
	if lv.Kind != Literal || rv.Kind != Literal || lv.Lit.Kind != Int || rv.Lit.Kind != Int {
		return Value{}
	}
	x, y := lv.Lit.Int, rv.Lit.Int
	var z int64
	switch b.text(op) {
	case "+":
		z = x + y
	case "-":
		z = x - y
	case "*":
		z = x * y
	case "//":
		if y == 0 {
			return Value{}
		}
		z = x / y
	default:
		return Value{}
	}
	return Value{Kind: Literal, Lit: Lit{Kind: Int, Int: z}}
}

// dotted returns "a.b.c" for an identifier or attribute chain, "" for
// anything else.
func dotted(b *builder, n *sitter.Node) string {
	switch n.Kind() {
	case "identifier":
		return b.text(n)
	case "attribute":
		obj, attr := n.ChildByFieldName("object"), n.ChildByFieldName("attribute")
		if obj == nil || attr == nil {
			return ""
		}
		if o := dotted(b, obj); o != "" {
			return o + "." + b.text(attr)
		}
	}
	return ""
}

// stringLit decodes a plain (non-f, non-bytes) string literal.
func (b *builder) stringLit(n *sitter.Node) (string, byte, bool) {
	if n.Kind() != "string" {
		return "", 0, false
	}
	var prefix string
	var quote byte
	var sb strings.Builder
	for i := uint(0); i < n.ChildCount(); i++ {
		c := n.Child(i)
		switch c.Kind() {
		case "string_start":
			t := b.text(c)
			j := strings.IndexAny(t, `'"`)
			if j < 0 {
				return "", 0, false
			}
			prefix, quote = strings.ToLower(t[:j]), t[j]
			if strings.ContainsAny(prefix, "fb") {
				return "", 0, false
			}
		case "string_content":
			t := b.text(c)
			if !strings.Contains(prefix, "r") {
				t = unescape(t)
			}
			sb.WriteString(t)
		case "interpolation":
			return "", 0, false
		}
	}
	return sb.String(), quote, true
}

// unescape handles the escapes settings strings use; others stay as written.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			sb.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			sb.WriteByte('\n')
		case 't':
			sb.WriteByte('\t')
		case 'r':
			sb.WriteByte('\r')
		case '\\', '\'', '"':
			sb.WriteByte(s[i])
		case '\n':
		default:
			sb.WriteByte('\\')
			sb.WriteByte(s[i])
		}
	}
	return sb.String()
}

func (b *builder) dict(n *sitter.Node) *Dict {
	d := &Dict{Span: b.span(n), Open: b.span(n).Start, Close: b.span(n).End - 1}
	count := n.ChildCount()
	for i := uint(0); i < count; i++ {
		c := n.Child(i)
		switch c.Kind() {
		case "pair":
			k, v := c.ChildByFieldName("key"), c.ChildByFieldName("value")
			if k == nil || v == nil {
				continue
			}
			e := &Entry{KeySpan: b.span(k), Value: b.expr(v), Span: b.span(c)}
			if ke := b.expr(k); ke.Value.Kind == Literal && ke.Value.Lit.Kind == Str {
				e.Key, e.KeyKnown, e.KeyQuote = ke.Value.Lit.Str, true, ke.Value.Lit.Quote
			}
			if end, ok := b.trailingComma(n, i); ok {
				e.Span.End = end
			}
			d.Entries = append(d.Entries, e)
		case "dictionary_splat":
			d.Splats = append(d.Splats, b.span(c))
		}
	}
	// The last non-comment child before "}" being "," is a trailing comma.
	for i := int(count) - 2; i >= 0; i-- {
		c := n.Child(uint(i))
		if c.Kind() == "comment" {
			continue
		}
		d.TrailingComma = c.Kind() == ","
		break
	}
	return d
}

// trailingComma returns the end of the "," following child i of n, skipping
// comments.
func (b *builder) trailingComma(n *sitter.Node, i uint) (int, bool) {
	for j := i + 1; j < n.ChildCount(); j++ {
		c := n.Child(j)
		switch c.Kind() {
		case "comment":
			continue
		case ",":
			return b.span(c).End, true
		}
		return 0, false
	}
	return 0, false
}

func (b *builder) call(n *sitter.Node) *Call {
	fn, args := n.ChildByFieldName("function"), n.ChildByFieldName("arguments")
	if fn == nil || args == nil || args.Kind() != "argument_list" {
		return nil
	}
	as := b.span(args)
	c := &Call{Func: dotted(b, fn), Span: b.span(n), Open: as.Start, Close: as.End - 1}
	for i := uint(0); i < args.ChildCount(); i++ {
		a := args.Child(i)
		if !a.IsNamed() || a.Kind() == "comment" {
			continue
		}
		arg := &Arg{Span: b.span(a)}
		switch a.Kind() {
		case "keyword_argument":
			name, val := a.ChildByFieldName("name"), a.ChildByFieldName("value")
			if name == nil || val == nil {
				continue
			}
			arg.Name, arg.NameSpan, arg.Value = b.text(name), b.span(name), b.expr(val)
		case "list_splat", "dictionary_splat":
			arg.Splat = true
			arg.Value = &Expr{Kind: a.Kind(), Span: b.span(a)}
		default:
			arg.Value = b.expr(a)
		}
		if end, ok := b.trailingComma(args, i); ok {
			arg.Span.End = end
		}
		c.Args = append(c.Args, arg)
	}
	return c
}

func isEnvMapping(name string) bool { return name == "os.environ" || name == "environ" }

// conditionalExpr reads `a if cond else b`: the side a condition known in
// production picks (see production); otherwise, where one side is empty
// ({}, [], None) and the other a dict or call, that other side, as
// conditional: the value a deployment that takes the branch runs with.
func (b *builder) conditionalExpr(e *Expr, n *sitter.Node) {
	if n.NamedChildCount() != 3 {
		return
	}
	body, cond, alt := n.NamedChild(0), n.NamedChild(1), n.NamedChild(2)
	truth, known, unbound := b.production(cond)
	if !known {
		truth, known = b.defaultCond(cond)
	}
	if !known {
		// `A if values.DatabaseURLValue(None, ...) else B`: a read whose
		// default is None is false where the variable is unset.
		if v := b.expr(cond).Value; v.Kind == EnvDefault && v.Lit.Kind == None {
			truth, known = false, true
		}
	}
	if known && unbound == "" {
		pick := alt
		if truth {
			pick = body
		}
		e.Inline = b.expr(pick)
		e.Value = e.Inline.Value
		return
	}
	be, ae := b.expr(body), b.expr(alt)
	switch {
	case emptyLit(ae) && !emptyLit(be) && (be.Dict != nil || be.Call != nil):
		e.Inline, e.Cond = be, true
	case emptyLit(be) && !emptyLit(ae) && (ae.Dict != nil || ae.Call != nil):
		e.Inline, e.Cond = ae, true
	}
}

// defaultCond decides `X == lit` / `X != lit` where X reads an
// environment variable with a literal default
// (`0 if max_age == -1 else max_age` after `max_age = env.int("AGE", 60)`):
// as it stands where the variable is unset. The side it picks keeps the
// environment read, so a deployment that sets the variable still decides
// the value.
func (b *builder) defaultCond(n *sitter.Node) (truth, known bool) {
	if n.Kind() != "comparison_operator" || n.NamedChildCount() != 2 || n.ChildCount() != 3 {
		return false, false
	}
	op := b.text(n.Child(1))
	if op != "==" && op != "!=" {
		return false, false
	}
	lv, rv := b.expr(n.NamedChild(0)).Value, b.expr(n.NamedChild(1)).Value
	if rv.Kind == EnvDefault {
		lv, rv = rv, lv
	}
	if lv.Kind != EnvDefault || rv.Kind != Literal {
		return false, false
	}
	a, b2 := lv.Lit, rv.Lit
	var eq bool
	if x, ok := a.Number(); ok && a.Kind != Bool && a.Kind != Str {
		y, ok := b2.Number()
		if !ok || b2.Kind == Bool || b2.Kind == Str {
			return false, false
		}
		eq = x == y
	} else if a.Kind == Str && b2.Kind == Str {
		eq = a.Str == b2.Str
	} else {
		return false, false
	}
	return eq == (op == "=="), true
}

// emptyLit reports whether e is {}, [], () or None.
func emptyLit(e *Expr) bool {
	switch {
	case e.Dict != nil:
		return len(e.Dict.Entries) == 0 && len(e.Dict.Splats) == 0
	case e.Kind == "list" || e.Kind == "tuple":
		return e.Span.End-e.Span.Start <= 2
	}
	return e.Value.Kind == Literal && e.Value.Lit.Kind == None
}

// callValue evaluates the calls settings modules read the environment
// with; the default is the effective value where the variable is unset.
func (b *builder) callValue(c *Call) Value {
	fn := c.Func
	switch fn {
	case "int", "float", "bool", "str":
		a := c.Positional(0)
		if a == nil || len(c.Args) != 1 {
			return Value{}
		}
		return cast(a.Value.Value, fn, false)
	case "os.environ.get", "environ.get", "os.getenv", "getenv":
		v, ok := envVar(c)
		if !ok {
			return Value{}
		}
		v.Kind = EnvDefault
		v.Lit = Lit{Kind: None}
		if d := c.Positional(1); d != nil {
			v.Default = d.Value
		} else if d := c.Kwarg("default"); d != nil {
			v.Default = d.Value
		}
		return withDefault(v, "")
	case "config", "decouple.config":
		// python-decouple: config("X", default=d, cast=int).
		v, ok := envVar(c)
		if !ok {
			return Value{}
		}
		if a := c.Kwarg("cast"); a != nil {
			v.Cast = a.Value.Name
		}
		if d := c.Kwarg("default"); d != nil {
			v.Kind, v.Default = EnvDefault, d.Value
			return withDefault(v, v.Cast)
		}
		v.Kind = EnvRequired
		return v
	}
	// django-environ: env("X", default=d), env.int("X", default=d), ...
	obj, method, _ := strings.Cut(fn, ".")
	if !b.envNames[obj] && !b.envNames[fn] {
		return Value{}
	}
	if b.envNames[fn] {
		method = ""
		if a := c.Kwarg("cast"); a != nil {
			method = a.Value.Name
		}
	}
	switch method {
	case "", "int", "bool", "float", "str":
	default:
		return Value{} // env.db(), env.list(), ...: not a scalar
	}
	v, ok := envVar(c)
	if !ok {
		return Value{}
	}
	v.Cast = method
	d := c.Kwarg("default")
	if d == nil {
		d = c.Positional(1)
	}
	if d == nil {
		v.Kind = EnvRequired
		return v
	}
	v.Kind, v.Default = EnvDefault, d.Value
	return withDefault(v, method)
}

func envVar(c *Call) (Value, bool) {
	a := c.Positional(0)
	if a == nil {
		a = c.Kwarg("var")
	}
	if a == nil || a.Value.Value.Kind != Literal || a.Value.Value.Lit.Kind != Str {
		return Value{}, false
	}
	return Value{Var: a.Value.Value.Lit.Str, Call: c}, true
}

// withDefault sets v.Lit from v.Default, converted as the reader converts
// a default: django-environ and decouple cast string defaults like values
// read from the environment.
func withDefault(v Value, castName string) Value {
	if v.Default == nil {
		return v
	}
	dv := v.Default.Value
	if dv.Kind != Literal {
		if dv.Kind == EnvDefault || dv.Kind == EnvRequired {
			return Value{} // a default read from another variable: not a single place
		}
		return Value{Kind: Unknown, Var: v.Var, Call: v.Call}
	}
	lit, ok := castLit(dv.Lit, castName, true)
	if !ok {
		return Value{Kind: Unknown, Var: v.Var, Call: v.Call}
	}
	v.Lit = lit
	return v
}

// cast applies int()/bool()/... to a value, keeping where it came from.
func cast(v Value, castName string, envStyle bool) Value {
	switch v.Kind {
	case Literal, EnvDefault:
		if v.Kind == EnvDefault && v.Lit.Kind == None && castName != "str" && castName != "bool" {
			// int(os.environ.get("X")) (or with a None default) fails
			// when X is unset: required.
			v.Kind, v.Cast = EnvRequired, castName
			return v
		}
		lit, ok := castLit(v.Lit, castName, envStyle)
		if !ok {
			return Value{}
		}
		v.Lit = lit
		if v.Cast == "" {
			v.Cast = castName
		}
		return v
	case EnvRequired:
		v.Cast = castName
		return v
	}
	return Value{}
}

// castLit converts a literal. envStyle reads strings as environment
// readers do ("false" is False); otherwise bool() is Python's truthiness.
func castLit(l Lit, castName string, envStyle bool) (Lit, bool) {
	switch castName {
	case "", "str":
		return l, true
	case "int":
		switch l.Kind {
		case Int:
			return l, true
		case Bool:
			if l.Bool {
				return Lit{Kind: Int, Int: 1}, true
			}
			return Lit{Kind: Int}, true
		case Float:
			return Lit{Kind: Int, Int: int64(l.Float)}, true
		case Str:
			n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(l.Str, "_", "")), 10, 64)
			return Lit{Kind: Int, Int: n}, err == nil
		}
	case "float":
		if f, ok := l.Number(); ok {
			return Lit{Kind: Float, Float: f}, true
		}
		if l.Kind == Str {
			f, err := strconv.ParseFloat(strings.TrimSpace(l.Str), 64)
			return Lit{Kind: Float, Float: f}, err == nil
		}
	case "bool":
		if l.Kind == Str && envStyle {
			switch strings.ToLower(strings.TrimSpace(l.Str)) {
			case "true", "1", "yes", "y", "on", "t":
				return Lit{Kind: Bool, Bool: true}, true
			}
			return Lit{Kind: Bool}, true
		}
		return Lit{Kind: Bool, Bool: l.Truthy()}, true
	}
	return Lit{}, false
}
