package sitter

import "unsafe"

// Tree is a parsed module: every visible node of tree-sitter's syntax
// tree, in document order, the root first.
type Tree struct {
	nodes []Node
	kids  []int32 // each node's children, as one run per node
	named []int32 // each node's named children, likewise
	// firstAt[d] is the first node, in document order, d levels below
	// the root.
	firstAt []int32
}

// FirstDeeperThan returns the first node in document order more than
// depth levels below the root (its children are one level below), or nil.
func (t *Tree) FirstDeeperThan(depth int) *Node {
	if depth+1 >= len(t.firstAt) {
		return nil
	}
	return &t.nodes[t.firstAt[depth+1]]
}

// RootNode is the module node.
func (t *Tree) RootNode() *Node {
	if len(t.nodes) == 0 {
		return nil
	}
	return &t.nodes[0]
}

// Len is the number of nodes.
func (t *Tree) Len() int { return len(t.nodes) }

// Node is one node of a Tree. Its methods mean what go-tree-sitter's Node
// methods of the same name mean; nil stands for no node.
type Node struct {
	t             *Tree
	start, end    uint32
	kid0, named0  int32 // the node's runs in t.kids and t.named
	kids, nnamed  uint32
	symbol, field uint16 // field: the field the node is its parent's child under, 0 for none
	flags         uint8
}

const (
	named    = 1
	missing  = 2
	isError  = 4
	hasError = 8
)

// Id is unique among the nodes of the trees alive at a time.
func (n *Node) Id() uintptr { return uintptr(unsafe.Pointer(n)) }

// Kind is the node's type ("call", "identifier", "(", "ERROR", ...).
func (n *Node) Kind() string {
	if n.symbol == errorSymbol {
		return "ERROR"
	}
	return kinds[n.symbol]
}

// KindId is the node's type as a grammar symbol.
func (n *Node) KindId() uint16 { return n.symbol }

// StartByte and EndByte are the node's offsets in the parsed text.
func (n *Node) StartByte() uint { return uint(n.start) }
func (n *Node) EndByte() uint   { return uint(n.end) }

func (n *Node) IsNamed() bool   { return n.flags&named != 0 }
func (n *Node) IsMissing() bool { return n.flags&missing != 0 }
func (n *Node) IsError() bool   { return n.flags&isError != 0 }

// HasError says the node is or holds an ERROR or MISSING node.
func (n *Node) HasError() bool { return n.flags&hasError != 0 }

func (n *Node) ChildCount() uint      { return uint(n.kids) }
func (n *Node) NamedChildCount() uint { return uint(n.nnamed) }

// Child is the i-th child, nil past the last.
func (n *Node) Child(i uint) *Node {
	if i >= uint(n.kids) {
		return nil
	}
	return &n.t.nodes[n.t.kids[n.kid0+int32(i)]]
}

// NamedChild is the i-th named child, nil past the last.
func (n *Node) NamedChild(i uint) *Node {
	if i >= uint(n.nnamed) {
		return nil
	}
	return &n.t.nodes[n.t.named[n.named0+int32(i)]]
}

// ChildByFieldName is the first child under the field, nil when there is
// none (or the grammar has no such field).
func (n *Node) ChildByFieldName(name string) *Node {
	id, ok := fields[name]
	if !ok {
		return nil
	}
	return n.ChildByFieldId(id)
}

// ChildByFieldId is ChildByFieldName with the field's symbol.
func (n *Node) ChildByFieldId(id uint16) *Node {
	for _, k := range n.t.kids[n.kid0 : n.kid0+int32(n.kids)] {
		if c := &n.t.nodes[k]; c.field == id {
			return c
		}
	}
	return nil
}

// FieldId returns the symbol of a field name, 0 when the grammar has none.
func FieldId(name string) uint16 { return fields[name] }
