package python

import (
	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// Setup functions: a settings module may bind a setting inside a
// module-level function it then calls once (`def setup_database(): global
// DATABASES; DATABASES = {...}`, then `setup_database()`). A call to such a
// function, with no arguments, as a statement of its own at module level,
// reads as its body: the assignments to the names it declares global bind
// them, in the function's own text (where findings point and fixes edit).
// Only functions whose body is a docstring, comments, one global
// declaration and assignments (or .update calls) to those names are read:
// a local name, a branch or a return would need a scope this reading does
// not keep, and such a function binds nothing here.

// setup records a function definition that is a setup function.
func (b *builder) setup(n *sitter.Node) {
	name, body := n.ChildByFieldName("name"), n.ChildByFieldName("body")
	params := n.ChildByFieldName("parameters")
	if name == nil || body == nil || params == nil || params.NamedChildCount() != 0 {
		return
	}
	delete(b.setups, b.text(name))
	globals := map[string]bool{}
	for i := uint(0); i < body.NamedChildCount(); i++ {
		c := body.NamedChild(i)
		switch {
		case c.Kind() == "comment":
		case i == 0 && c.Kind() == "expression_statement" && c.NamedChildCount() == 1 && c.NamedChild(0).Kind() == "string":
		case c.Kind() == "global_statement" && len(globals) == 0:
			for j := uint(0); j < c.NamedChildCount(); j++ {
				globals[b.text(c.NamedChild(j))] = true
			}
		case c.Kind() == "expression_statement" && c.NamedChildCount() == 1 && len(globals) > 0:
			if !globals[b.boundName(c.NamedChild(0))] {
				return
			}
		default:
			return
		}
	}
	if len(globals) == 0 {
		return
	}
	if b.setups == nil {
		b.setups = map[string]*sitter.Node{}
	}
	b.setups[b.text(name)] = body
}

// boundName is the module name an assignment, augmented assignment or
// .update call binds (DATABASES for DATABASES["default"]["OPTIONS"] = ...),
// "" for any other statement.
func (b *builder) boundName(n *sitter.Node) string {
	var t *sitter.Node
	switch n.Kind() {
	case "assignment", "augmented_assignment":
		t = n.ChildByFieldName("left")
	case "call":
		if fn := n.ChildByFieldName("function"); fn != nil && fn.Kind() == "attribute" {
			if attr := fn.ChildByFieldName("attribute"); attr != nil && b.text(attr) == "update" {
				t = fn.ChildByFieldName("object")
			}
		}
	}
	for t != nil && t.Kind() == "subscript" {
		t = t.ChildByFieldName("value")
	}
	if t == nil || t.Kind() != "identifier" {
		return ""
	}
	return b.text(t)
}

// runSetup reads a module-level call to a setup function as its body; false
// when c is not one.
func (b *builder) runSetup(c *sitter.Node, conditional bool) bool {
	fn, args := c.ChildByFieldName("function"), c.ChildByFieldName("arguments")
	if fn == nil || fn.Kind() != "identifier" || args == nil || args.NamedChildCount() != 0 {
		return false
	}
	body := b.setups[b.text(fn)]
	if body == nil {
		return false
	}
	delete(b.setups, b.text(fn)) // a second call binds nothing new
	for i := uint(0); i < body.NamedChildCount(); i++ {
		if s := body.NamedChild(i); s.Kind() == "expression_statement" && s.NamedChildCount() == 1 && s.NamedChild(0).Kind() != "string" {
			b.simple(s, s.NamedChild(0), conditional)
		}
	}
	return true
}
