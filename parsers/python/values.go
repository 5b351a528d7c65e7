package python

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// nameValue is the value a module-level name holds where it is read: a
// name bound to a literal or an environment read (`DATABASE_URL =
// os.environ.get("DATABASE_URL", "sqlite://")`, `DEFAULT = "default"`)
// stands for that value in the expressions after it.
func (b *builder) nameValue(name string) Value {
	if a, ok := b.scope[name]; ok {
		return a.Value
	}
	o := b.names[name]
	if o == nil || o.IsDict() || o.Conditional {
		return Value{}
	}
	return o.Value()
}

// fstring evaluates an f-string whose every placeholder is a literal, or a
// module-level name bound to one, with no conversion or format spec:
// f"{REDIS_URL}/1".
func (b *builder) fstring(n *sitter.Node) Value {
	var sb strings.Builder
	var quote byte
	for i := uint(0); i < n.ChildCount(); i++ {
		c := n.Child(i)
		switch c.Kind() {
		case "string_start":
			t := b.text(c)
			j := strings.IndexAny(t, `'"`)
			if j < 0 {
				return Value{}
			}
			prefix := strings.ToLower(t[:j])
			if !strings.Contains(prefix, "f") || strings.ContainsAny(prefix, "br") {
				return Value{}
			}
			quote = t[j]
		case "string_content":
			t := b.text(c)
			if strings.Contains(t, `\`) || strings.Contains(t, "{{") || strings.Contains(t, "}}") {
				return Value{}
			}
			sb.WriteString(t)
		case "interpolation":
			if c.NamedChildCount() != 1 {
				return Value{} // a conversion or a format spec
			}
			v := b.expr(c.NamedChild(0)).Value
			if v.Kind != Literal {
				return Value{}
			}
			switch v.Lit.Kind {
			case Str:
				sb.WriteString(v.Lit.Str)
			case Int, Float, Bool:
				sb.WriteString(strings.Trim(v.Lit.String(), `"`))
			default:
				return Value{}
			}
		case "string_end":
		default:
			return Value{}
		}
	}
	return Value{Kind: Literal, Lit: Lit{Kind: Str, Str: sb.String(), Quote: quote}}
}
