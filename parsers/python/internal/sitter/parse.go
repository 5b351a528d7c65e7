// Package sitter parses Python with tree-sitter's Python grammar and hands
// back the whole syntax tree as Go values, read in one pass on the C side.
//
// go-tree-sitter's node API crosses from Go into C for every question asked
// of a node (its kind, a child, a field, its offsets) and allocates a Go
// value for every node it returns; walking a module's tree that way cost
// more than parsing it. Here one call parses the text and a second copies
// every visible node (kind and field symbols, offsets, flags) into a Go
// slice in document order and frees the C tree: after that, walking the
// tree is plain Go. The Node methods keep go-tree-sitter's names and
// meanings, so code written against its API reads the same.
package sitter

/*
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

// The parts of tree-sitter's C API (tree_sitter/api.h, 0.25) used here.
// The library itself is go-tree-sitter's, linked into the same binary;
// the declarations are weak so this package's own cgo link step, which
// sees only its own objects, does not need them.
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct TSLanguage TSLanguage;
typedef struct TSNode {
	uint32_t context[4];
	const void *id;
	const TSTree *tree;
} TSNode;
typedef struct TSTreeCursor {
	const void *tree;
	const void *id;
	uint32_t context[3];
} TSTreeCursor;

#define WEAK __attribute__((weak))
extern TSParser *ts_parser_new(void) WEAK;
extern void ts_parser_delete(TSParser *) WEAK;
extern bool ts_parser_set_language(TSParser *, const TSLanguage *) WEAK;
extern TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t) WEAK;
extern void ts_tree_delete(TSTree *) WEAK;
extern TSNode ts_tree_root_node(const TSTree *) WEAK;
extern uint32_t ts_node_descendant_count(TSNode) WEAK;
extern uint16_t ts_node_symbol(TSNode) WEAK;
extern uint32_t ts_node_start_byte(TSNode) WEAK;
extern uint32_t ts_node_end_byte(TSNode) WEAK;
extern bool ts_node_is_named(TSNode) WEAK;
extern bool ts_node_is_missing(TSNode) WEAK;
extern bool ts_node_is_error(TSNode) WEAK;
extern bool ts_node_has_error(TSNode) WEAK;
extern TSTreeCursor ts_tree_cursor_new(TSNode) WEAK;
extern void ts_tree_cursor_delete(TSTreeCursor *) WEAK;
extern TSNode ts_tree_cursor_current_node(const TSTreeCursor *) WEAK;
extern uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *) WEAK;
extern bool ts_tree_cursor_goto_first_child(TSTreeCursor *) WEAK;
extern bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *) WEAK;
extern bool ts_tree_cursor_goto_parent(TSTreeCursor *) WEAK;

enum { NAMED = 1, MISSING = 2, ERROR = 4, HAS_ERROR = 8 };

// One visible node, as the Go side stores it before linking children.
typedef struct {
	uint32_t start, end;
	uint32_t parent;
	uint16_t symbol, field;
	uint8_t flags;
} hr_node;

static TSParser *hr_parser_new(const void *language) {
	TSParser *p = ts_parser_new();
	if (p && !ts_parser_set_language(p, (const TSLanguage *)language)) {
		ts_parser_delete(p);
		return NULL;
	}
	return p;
}

static TSTree *hr_parse(TSParser *p, const char *src, uint32_t len, uint32_t *count) {
	TSTree *t = ts_parser_parse_string(p, NULL, src, len);
	*count = t ? ts_node_descendant_count(ts_tree_root_node(t)) : 0;
	return t;
}

// hr_flatten writes up to cap nodes of t in document order (a node before
// its children, children in order), deletes t, and returns the number of
// nodes the tree has.
static uint32_t hr_flatten(TSTree *t, hr_node *out, uint32_t cap) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
	uint32_t n = 0;
	// The index of the node the cursor is on, per depth, to find parents.
	uint32_t stack[256];
	uint32_t *path = stack, depth = 0, pathCap = 256;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		if (n < cap) {
			hr_node *o = &out[n];
			o->start = ts_node_start_byte(node);
			o->end = ts_node_end_byte(node);
			o->parent = depth ? path[depth - 1] : 0;
			o->symbol = ts_node_symbol(node);
			o->field = ts_tree_cursor_current_field_id(&c);
			o->flags = (ts_node_is_named(node) ? NAMED : 0) | (ts_node_is_missing(node) ? MISSING : 0) |
				(ts_node_is_error(node) ? ERROR : 0) | (ts_node_has_error(node) ? HAS_ERROR : 0);
		}
		if (depth == pathCap) {
			uint32_t *grown = malloc(2 * pathCap * sizeof *grown);
			if (!grown) {
				break;
			}
			for (uint32_t i = 0; i < depth; i++) {
				grown[i] = path[i];
			}
			if (path != stack) {
				free(path);
			}
			path = grown;
			pathCap *= 2;
		}
		path[depth] = n;
		n++;
		if (ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) {
				goto done;
			}
			depth--;
		}
	}
done:
	if (path != stack) {
		free(path);
	}
	ts_tree_cursor_delete(&c);
	ts_tree_delete(t);
	return n;
}
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"

	tree_sitter "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// language is tree-sitter's Python grammar; kinds and fields name its
// node and field symbols.
var (
	language = tree_sitter.NewLanguage(tspython.Language())
	kinds    = func() []string {
		k := make([]string, language.NodeKindCount())
		for i := range k {
			k[i] = language.NodeKindForId(uint16(i))
		}
		return k
	}()
	fields = func() map[string]uint16 {
		f := map[string]uint16{}
		for i := uint16(1); uint32(i) <= language.FieldCount(); i++ {
			f[language.FieldNameForId(i)] = i
		}
		return f
	}()
)

// errorSymbol is tree-sitter's ts_builtin_sym_error, the symbol of ERROR
// nodes.
const errorSymbol = 0xFFFF

// parser is one C parser, freed when the pool drops it.
type parser struct{ p *C.TSParser }

var parsers = sync.Pool{New: func() any {
	p := C.hr_parser_new(tspython.Language())
	if p == nil {
		panic("sitter: tree-sitter's Python grammar does not load")
	}
	w := &parser{p}
	runtime.AddCleanup(w, func(p *C.TSParser) { C.ts_parser_delete(p) }, p)
	return w
}}

// Parse parses src as Python. It returns nil only where tree-sitter gives
// up (it never does on text it was not told to stop on); syntax errors are
// ERROR and MISSING nodes of the tree, as tree-sitter reports them.
func Parse(src []byte) *Tree {
	w := parsers.Get().(*parser)
	defer parsers.Put(w)
	var count C.uint32_t
	var text *C.char
	if len(src) > 0 {
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	t := C.hr_parse(w.p, text, C.uint32_t(len(src)), &count)
	runtime.KeepAlive(src)
	if t == nil {
		return nil
	}
	raw := make([]C.hr_node, count)
	var first *C.hr_node
	if count > 0 {
		first = &raw[0]
	}
	if n := C.hr_flatten(t, first, count); n != count {
		panic("sitter: the tree's node count changed while reading it")
	}
	return build(raw)
}

// build links the nodes read in document order: each node's children, and
// its named children, as runs of the tree's index lists.
func build(raw []C.hr_node) *Tree {
	t := &Tree{nodes: make([]Node, len(raw))}
	kids := make([]int32, len(raw)+1) // per parent: children, then offsets
	named := make([]int32, len(raw)+1)
	for i := 1; i < len(raw); i++ {
		kids[raw[i].parent]++
		if raw[i].flags&C.NAMED != 0 {
			named[raw[i].parent]++
		}
	}
	var k, nk int32
	depth := make([]int32, len(raw))
	for i := range raw {
		r := &raw[i]
		if i > 0 {
			depth[i] = depth[r.parent] + 1
		}
		if int(depth[i]) == len(t.firstAt) {
			t.firstAt = append(t.firstAt, int32(i))
		}
		t.nodes[i] = Node{t: t, start: uint32(r.start), end: uint32(r.end), symbol: uint16(r.symbol), field: uint16(r.field), flags: uint8(r.flags),
			kid0: k, named0: nk}
		k += kids[i]
		nk += named[i]
	}
	t.kids = make([]int32, k)
	t.named = make([]int32, nk)
	for i := 1; i < len(raw); i++ {
		p := &t.nodes[raw[i].parent]
		t.kids[p.kid0+int32(p.kids)] = int32(i)
		p.kids++
		if raw[i].flags&C.NAMED != 0 {
			t.named[p.named0+int32(p.nnamed)] = int32(i)
			p.nnamed++
		}
	}
	return t
}
