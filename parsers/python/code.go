package python

import (
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// Code is every call of a module, wherever it is (a Celery app's
// config_from_object, a view reading a task's result): Module keeps
// module-level assignments and definitions, and Code is read on demand by
// the few rules that need calls inside functions.
type Code struct {
	Calls []*CallSite
	// Assigned maps each name bound anywhere in the module (a plain
	// `name = <call>` assignment) to the calls bound to it, so a rule can
	// tell what `result.get()` is called on.
	Assigned map[string][]*CallSite
}

// CallSite is one call expression.
type CallSite struct {
	*Call
	// Method is the called attribute's name when the callee is an
	// attribute of any expression (`x.delay(1).get()` has Method "get"),
	// or the plain name called ("AsyncResult").
	Method string
	// Receiver is the call the method is called on, when it is one
	// (`task.delay(1)` for `task.delay(1).get()`).
	Receiver *CallSite
	// ReceiverName is the dotted name the method is called on, when it is
	// a name ("result" for `result.get()`).
	ReceiverName string
}

// ReadCode parses doc and returns its calls. It never runs the
// code.
func ReadCode(doc *parsers.Document) (*Code, error) {
	tree, b, err := parseTree(doc)
	if err != nil {
		return nil, err
	}
	if root := tree.RootNode(); root.HasError() {
		return nil, b.syntaxError(root)
	}
	return readCode(tree, b), nil
}

// readCode reads the calls of a parsed module without syntax errors.
func readCode(tree *sitter.Tree, b *builder) *Code {
	root := tree.RootNode()
	c := &Code{Assigned: map[string][]*CallSite{}}
	sites := map[uintptr]*CallSite{}
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		switch n.Kind() {
		case "call":
			cs := sites[n.Id()]
			if cs == nil {
				cs = b.callSite(n, sites)
			}
			if cs != nil {
				c.Calls = append(c.Calls, cs)
			}
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			walk(n.NamedChild(i))
		}
		if n.Kind() == "assignment" {
			left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
			if left != nil && right != nil && right.Kind() == "call" {
				if name := dotted(b, left); name != "" && sites[right.Id()] != nil {
					c.Assigned[name] = append(c.Assigned[name], sites[right.Id()])
				}
			}
		}
	}
	walk(root)
	return c
}

func (b *builder) callSite(n *sitter.Node, sites map[uintptr]*CallSite) *CallSite {
	call := b.call(n)
	if call == nil {
		return nil
	}
	cs := &CallSite{Call: call}
	sites[n.Id()] = cs
	fn := n.ChildByFieldName("function")
	switch fn.Kind() {
	case "identifier":
		cs.Method = b.text(fn)
	case "attribute":
		if attr := fn.ChildByFieldName("attribute"); attr != nil {
			cs.Method = b.text(attr)
		}
		if obj := fn.ChildByFieldName("object"); obj != nil {
			if obj.Kind() == "call" {
				// The receiver is visited after its method call (it is a
				// child); build it now so the link exists.
				if r := sites[obj.Id()]; r != nil {
					cs.Receiver = r
				} else if r := b.callSite(obj, sites); r != nil {
					cs.Receiver = r
				}
			} else {
				cs.ReceiverName = dotted(b, obj)
			}
		}
	}
	return cs
}
