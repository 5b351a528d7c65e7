package python

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// ConfClass is a module-level class of a settings module, as
// django-configurations keeps settings: `class Production(Base):` whose
// body assigns settings as class attributes. DJANGO_CONFIGURATION picks
// the class Django loads.
type ConfClass struct {
	Name string
	// Bases are the superclasses as written (dotted names), in order.
	Bases []string
	// Statements are the body's plain attribute assignments (`NAME =
	// value`), read as module-level statements are; methods, properties,
	// nested classes and other statements are not read.
	Statements []*Statement
}

// confClass reads a module-level class of a settings module. Its body's
// statements are evaluated in a scratch namespace that starts with the
// module's names bound so far, so they neither bind module-level names
// nor lose the module constants their expressions read.
func (b *builder) confClass(n *sitter.Node) {
	name, body := n.ChildByFieldName("name"), n.ChildByFieldName("body")
	if name == nil || body == nil {
		return
	}
	c := &ConfClass{Name: b.text(name)}
	if sup := n.ChildByFieldName("superclasses"); sup != nil {
		for i := uint(0); i < sup.NamedChildCount(); i++ {
			if a := sup.NamedChild(i); a.Kind() == "identifier" || a.Kind() == "attribute" {
				c.Bases = append(c.Bases, dotted(b, a))
			}
		}
	}
	stmts, names := b.m.Statements, b.names
	b.m.Statements = nil
	b.names = make(map[string]*Object, len(names))
	for k, v := range names {
		b.names[k] = v
	}
	for i := uint(0); i < body.NamedChildCount(); i++ {
		st := body.NamedChild(i)
		if st.Kind() != "expression_statement" || st.NamedChildCount() != 1 {
			continue
		}
		b.attr = ""
		if a := st.NamedChild(0); a.Kind() == "assignment" {
			if l := a.ChildByFieldName("left"); l != nil && l.Kind() == "identifier" {
				b.attr = b.text(l)
			}
		}
		if b.attr != "" {
			b.simple(st, st.NamedChild(0), false)
		}
	}
	b.attr = ""
	c.Statements = b.m.Statements
	b.m.Statements, b.names = stmts, names
	b.m.ConfClasses = append(b.m.ConfClasses, c)
}

// ConfClass returns the module's class of that name, or nil.
func (m *Module) ConfClass(name string) *ConfClass {
	for _, c := range m.ConfClasses {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// InClass reports whether st is an attribute assignment of one of the
// module's classes.
func (m *Module) InClass(st *Statement) bool {
	for _, c := range m.ConfClasses {
		for _, x := range c.Statements {
			if x == st {
				return true
			}
		}
	}
	return false
}

// MRO is the method resolution order of the named class (C3, as Python
// computes it) over the classes of the module: the class first, then its
// bases; bases defined elsewhere (Configuration) are left out. Nil when
// the module has no such class or Python would reject the hierarchy.
func (m *Module) MRO(name string) []*ConfClass {
	return m.mro(name, 0)
}

func (m *Module) mro(name string, depth int) []*ConfClass {
	c := m.ConfClass(name)
	if c == nil || depth > 32 {
		return nil
	}
	var seqs [][]*ConfClass
	var direct []*ConfClass
	for _, base := range c.Bases {
		bc := m.ConfClass(base)
		if bc == nil {
			continue
		}
		l := m.mro(base, depth+1)
		if l == nil {
			return nil
		}
		seqs = append(seqs, l)
		direct = append(direct, bc)
	}
	seqs = append(seqs, direct)
	out := []*ConfClass{c}
	for {
		var live [][]*ConfClass
		for _, s := range seqs {
			if len(s) > 0 {
				live = append(live, s)
			}
		}
		if len(live) == 0 {
			return out
		}
		seqs = live
		var head *ConfClass
		for _, s := range seqs {
			if !inTail(seqs, s[0]) {
				head = s[0]
				break
			}
		}
		if head == nil {
			return nil
		}
		out = append(out, head)
		for i, s := range seqs {
			if s[0] == head {
				seqs[i] = s[1:]
			}
		}
	}
}

func inTail(seqs [][]*ConfClass, c *ConfClass) bool {
	for _, s := range seqs {
		for _, x := range s[1:] {
			if x == c {
				return true
			}
		}
	}
	return false
}

// RunClass is Run followed by the attribute assignments of a
// django-configurations class and its bases, as if they were module-level
// statements: the bases' first (the last in the MRO), the class's own last,
// so an attribute a subclass sets wins as attribute lookup finds it.
func RunClass(m *Module, r Resolver, mro []*ConfClass) *Namespace {
	ns := Run(m, r)
	b := &builder{doc: m.Doc, m: m, names: ns.Names, envNames: m.envNames}
	if b.envNames == nil {
		b.envNames = map[string]bool{"env": true}
	}
	for i := len(mro) - 1; i >= 0; i-- {
		for _, st := range mro[i].Statements {
			ns.Statements = append(ns.Statements, st)
			b.eval(st)
		}
	}
	return ns
}

// valuesCast are the django-configurations value classes read as a
// scalar, with the conversion each applies to the environment's text.
var valuesCast = map[string]string{
	"Value": "", "SecretValue": "", "EmailValue": "", "URLValue": "", "IPValue": "", "RegexValue": "", "PathValue": "",
	"DatabaseURLValue": "", "CacheURLValue": "", "EmailURLValue": "", "SearchURLValue": "",
	"BooleanValue": "bool", "IntegerValue": "int", "PositiveIntegerValue": "int", "FloatValue": "float", "DecimalValue": "float",
}

// urlValues are the values that read a URL from a variable of their own
// name, with no prefix, where the call names none.
var urlValues = map[string]string{"DatabaseURLValue": "DATABASE_URL", "CacheURLValue": "CACHE_URL", "EmailURLValue": "EMAIL_URL", "SearchURLValue": "SEARCH_URL"}

// valuesCall reads a django-configurations value (`values.IntegerValue(5)`,
// `values.Value("x", environ_name="X", environ_prefix=None)`): the
// variable it reads is environ_prefix + "_" + environ_name (one trailing
// "_" of the prefix dropped), DJANGO_ and the attribute's name upper-cased
// by default (DATABASE_URL, CACHE_URL, ... with no prefix for the URL
// values), and its default is the first argument (or default=);
// SecretValue is required. A values.DictValue({...}) is its default dict,
// returned as inline; the other container values are not read, and a URL
// value stands for its URL, not for the dict it parses it into.
func (b *builder) valuesCall(c *Call) (Value, *Expr) {
	class := ""
	for _, p := range []string{"configurations.values.", "values."} {
		if strings.HasPrefix(c.Func, p) && !strings.Contains(c.Func[len(p):], ".") {
			class = c.Func[len(p):]
		}
	}
	if class == "" || !strings.HasSuffix(class, "Value") {
		return Value{}, nil
	}
	d := c.Positional(0)
	if d == nil {
		d = c.Kwarg("default")
	}
	if class == "DictValue" {
		if d != nil && d.Value.Dict != nil {
			return Value{}, d.Value
		}
		return Value{}, nil
	}
	castName, ok := valuesCast[class]
	if !ok {
		return Value{}, nil
	}
	name, prefix := strings.ToUpper(b.attr), "DJANGO"
	if n, ok := urlValues[class]; ok {
		name, prefix = n, "" // DictBackendMixin / EmailURLValue defaults
	}
	if a := c.Kwarg("environ_name"); a != nil {
		if a.Value.Value.Kind != Literal || a.Value.Value.Lit.Kind != Str {
			return Value{}, nil
		}
		name = a.Value.Value.Lit.Str
	}
	if a := c.Kwarg("environ_prefix"); a != nil {
		switch l := a.Value.Value.Lit; {
		case a.Value.Value.Kind != Literal:
			return Value{}, nil
		case l.Kind == None || l.Kind == Str && l.Str == "":
			prefix = ""
		case l.Kind == Str:
			prefix = strings.TrimSuffix(l.Str, "_")
		default:
			return Value{}, nil
		}
	}
	if a := c.Kwarg("environ"); a != nil && a.Value.Value.Kind == Literal && a.Value.Value.Lit.Kind == Bool && !a.Value.Value.Lit.Bool {
		name = "" // not read from the environment: the default is the value
	}
	if name == "" {
		if d == nil {
			return Value{Kind: Literal, Lit: Lit{Kind: None}}, nil
		}
		return d.Value.Value, nil
	}
	v := Value{Kind: EnvDefault, Var: name, Call: c, Cast: castName, Lit: Lit{Kind: None}}
	if prefix != "" {
		v.Var = prefix + "_" + name
	}
	if a := c.Kwarg("environ_required"); class == "SecretValue" || a != nil && a.Value.Value.Kind == Literal && a.Value.Value.Lit.Kind == Bool && a.Value.Value.Lit.Bool {
		v.Kind = EnvRequired
		return v, nil
	}
	if d == nil {
		return v, nil
	}
	v.Default = d.Value
	return withDefault(v, castName), nil
}
