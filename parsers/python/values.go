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
// f"{REDIS_URL}/1". One placeholder may instead read the environment
// (REDIS_URL = os.environ.get("REDIS_URL", "redis://redis:6379")): the
// value is then that read with the literal text around it.
func (b *builder) fstring(n *sitter.Node) Value {
	var sb strings.Builder
	var quote byte
	var env *Value
	var before string // the text before the environment read
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
			if (v.Kind == EnvDefault || v.Kind == EnvRequired) && env == nil && v.Prefix == "" && v.Suffix == "" {
				if v.Cast != "" && v.Cast != "str" || v.Kind == EnvDefault && v.Lit.Kind != Str {
					return Value{} // a number or None formatted: not followed
				}
				env, before = &v, sb.String()
				sb.Reset()
				continue
			}
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
	if env != nil {
		out := Value{Kind: env.Kind, Var: env.Var, Prefix: before, Suffix: sb.String()}
		if env.Kind == EnvDefault {
			out.Lit = Lit{Kind: Str, Str: before + env.Lit.Str + out.Suffix, Quote: quote}
		}
		return out
	}
	return Value{Kind: Literal, Lit: Lit{Kind: Str, Str: sb.String(), Quote: quote}}
}
