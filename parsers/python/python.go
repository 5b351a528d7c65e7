// Package python parses Django settings modules with tree-sitter's Python
// grammar. It never imports or runs them: it reads the module-level
// statements, models the dict literals, subscript assignments and
// environment reads they hold (with a byte span for everything a fix may
// touch), and evaluates them in order into Objects, so rules can ask what
// DATABASES["default"]["CONN_MAX_AGE"] ends up as and where it was written.
package python

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"
)

// Module is a parsed settings module.
type Module struct {
	Doc *parsers.Document
	// Statements are the module-level assignments headroom understands, in
	// source order: plain (`X = ...`), subscript (`X["a"]["b"] = ...`),
	// augmented (`X |= {...}`) and `.update(...)` calls. Statements inside
	// top-level if/try/with/for blocks are included with Conditional set.
	Statements []*Statement
	// Names maps each module-level name bound by a Statement to what it
	// holds after the module ran.
	Names map[string]*Object
	// StarImports are the modules imported with `from X import *`: names
	// may also come from them.
	StarImports []string
	// Imports are the module-level `from X import ...` statements and
	// django-split-settings include(...) calls, in source order: what Run
	// follows to evaluate a settings module split over several files.
	Imports []*Import
	// Classes and Funcs are the module-level class and function
	// definitions; only read for app modules (parsers.KindPythonApp).
	Classes []*Class
	Funcs   []*Func
	// ConfClasses are the module-level classes of a settings module, read
	// for django-configurations (see ConfClass).
	ConfClasses []*ConfClass

	envNames map[string]bool // names bound to a django-environ Env(), for Run

	// The syntax tree Parse read, with the text it parsed (src, found at
	// offset base of Doc.Src), kept until Code reads it.
	tree *sitter.Tree
	src  []byte
	base int

	codeOnce sync.Once // Code is read once, on the first rule that asks
	code     *Code
	codeErr  error
}

// Code returns every call of the module (see ReadCode), read once from the
// tree Parse built and shared by every rule that asks.
func (m *Module) Code() (*Code, error) {
	m.codeOnce.Do(func() {
		if m.tree == nil {
			m.code, m.codeErr = ReadCode(m.Doc)
			return
		}
		m.code = readCode(m.tree, newBuilder(m.Doc, m.src, m.base))
		m.tree, m.src = nil, nil
	})
	return m.code, m.codeErr
}

// Lookup follows a key path from a module-level name:
// Lookup("DATABASES", "default", "CONN_MAX_AGE"). Nil when any step is not
// bound in this module.
func (m *Module) Lookup(name string, keys ...string) *Object {
	o := m.Names[name]
	for _, k := range keys {
		if o == nil {
			return nil
		}
		o = o.Get(k)
	}
	return o
}

// Statement is one module-level assignment.
type Statement struct {
	// Doc is the file the statement is written in: a settings module split
	// over several files binds names in each of them.
	Doc *parsers.Document
	// Span covers the statement as written (no line terminator).
	Span parsers.Span
	// Name is the assigned module-level name (the root of a subscript).
	Name string
	// Keys is the subscript path of `X["a"]["b"] = v`: ["a", "b"]. Nil for a
	// plain assignment. Only string-literal subscripts are understood; a
	// statement with any other subscript is not recorded.
	Keys []string
	// KeyQuote is the quote character of the first subscript key.
	KeyQuote byte
	// Op is "=", an augmented operator such as "|=", or ".update" for
	// `X[...].update(...)`.
	Op string
	// Value is the right-hand side (for ".update", the single positional
	// argument, or nil when it is given as keywords only).
	Value *Expr
	// Call is the .update call, for ".update" statements.
	Call *Call
	// Conditional is set for statements inside a top-level compound
	// statement (if, try, with, for): they may not run.
	Conditional bool
	// IfUnbound names the module-level name an enclosing
	// `if "X" not in locals():` tests: the statement runs only where X is
	// not bound yet.
	IfUnbound string
	// RunsIf is the environment condition an enclosing `if X is None:`
	// (or `is not None`) sets, where X holds an environment read whose
	// default is None: the statement runs only where the variable is unset
	// (or set). Nil otherwise.
	RunsIf *EnvCond
	// Except is set for statements in an except clause: they run only
	// where the try body raised.
	Except bool
	// LineEnd is the offset just past the line terminator of the
	// statement's last line (where a new statement after it starts).
	LineEnd int
	// Indent is the statement's leading whitespace.
	Indent string
}

// Expr is an expression as written.
type Expr struct {
	// Kind is the tree-sitter node type: "integer", "string", "dictionary",
	// "call", "identifier", "attribute", ...
	Kind string
	Span parsers.Span
	// Name is the dotted name of an identifier or attribute chain
	// ("BASE_DIR", "os.environ").
	Name string
	Dict *Dict // set for dict literals
	Call *Call // set for calls
	// Inline is what a call returns where headroom reads through it: a
	// helper function's return expression with the call's arguments in
	// place, or the keyword argument a **kwargs.pop(...) takes out.
	Inline *Expr
	// Merge is the two sides of `a | b` (dict union).
	Merge []*Expr
	// Kwargs is set for a helper's **kwargs parameter read in its body.
	Kwargs *kwargs
	// Cond says Inline is one side of an if-else expression whose
	// condition headroom cannot decide (`{...} if not STATIC_BUILD else {}`):
	// the value holds only where the condition picks it.
	Cond bool
	// List is set for list and tuple literals, and Chain for the chains
	// class and function bodies bind or return; only in app modules.
	List  *List
	Chain *Chain
	// Value is what the expression evaluates to, as far as a static reading
	// can tell.
	Value Value
}

// Dict is a dict literal.
type Dict struct {
	Span        parsers.Span
	Open, Close int // offsets of "{" and "}"
	Entries     []*Entry
	// Splats are the `**other` entries: the dict may hold more keys than
	// Entries lists.
	Splats []parsers.Span
	// TrailingComma says the last entry is followed by a comma.
	TrailingComma bool
}

// Multiline reports whether the dict's entries sit on lines of their own
// (its first entry, or its closing brace, is not on the opening line).
func (d *Dict) Multiline(doc *parsers.Document) bool {
	return doc.Position(d.Open).Line != doc.Position(d.Close).Line
}

// Entry returns the last entry with a string key (the one Python keeps).
func (d *Dict) Entry(key string) *Entry {
	for i := len(d.Entries) - 1; i >= 0; i-- {
		if e := d.Entries[i]; e.KeyKnown && e.Key == key {
			return e
		}
	}
	return nil
}

// KeyQuote is the quote character most of the dict's string keys use
// (0 when it has none).
func (d *Dict) KeyQuote() byte {
	var single, double int
	for _, e := range d.Entries {
		switch e.KeyQuote {
		case '\'':
			single++
		case '"':
			double++
		}
	}
	switch {
	case single == 0 && double == 0:
		return 0
	case single > double:
		return '\''
	}
	return '"'
}

// Entry is one `key: value` of a dict literal.
type Entry struct {
	Key      string // the key, when it is a plain string literal
	KeyKnown bool
	KeySpan  parsers.Span
	KeyQuote byte // '"' or '\'' for a string key
	Value    *Expr
	// Span covers key through value, plus the entry's trailing comma when
	// it has one.
	Span parsers.Span
}

// Call is a call expression.
type Call struct {
	Func        string // dotted name of the callee, "" when not a name
	Span        parsers.Span
	Open, Close int // offsets of "(" and ")"
	Args        []*Arg
}

// Positional returns the i-th positional argument, or nil.
func (c *Call) Positional(i int) *Arg {
	for _, a := range c.Args {
		if a.Name == "" && !a.Splat {
			if i == 0 {
				return a
			}
			i--
		}
	}
	return nil
}

// Kwarg returns the keyword argument called name, or nil.
func (c *Call) Kwarg(name string) *Arg {
	for _, a := range c.Args {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Arg is one argument of a call.
type Arg struct {
	Name     string // keyword name; "" for a positional argument
	NameSpan parsers.Span
	Splat    bool // *args or **kwargs
	Value    *Expr
	// Span covers the argument as written plus its trailing comma.
	Span parsers.Span
}

// ValueKind says what headroom knows of an expression's value.
type ValueKind int

const (
	// Unknown: computed in a way a static reading does not follow.
	Unknown ValueKind = iota
	// Literal: a literal (or simple arithmetic on literals); Lit holds it.
	Literal
	// EnvDefault: read from the environment with a default; Lit holds the
	// default, the effective value wherever the variable is unset.
	EnvDefault
	// EnvRequired: read from the environment with no default (unset is an
	// error at start-up).
	EnvRequired
)

func (k ValueKind) String() string {
	return [...]string{"unknown", "literal", "env-default", "env-required"}[k]
}

// Value is what an expression evaluates to.
type Value struct {
	Kind ValueKind
	Lit  Lit
	// Var is the environment variable an Env value reads.
	Var string
	// Default is the default as written, for EnvDefault values that write
	// one; its span is what a fix changes. Nil for `os.environ.get("X")`,
	// whose default is None.
	Default *Expr
	// Call is the call that reads the environment (to add a default).
	Call *Call
	// Cast is the conversion applied to the read value: "int", "bool",
	// "float", "str" or "".
	Cast string
	// Prefix and Suffix surround the variable's value where an f-string
	// places one read of the environment among literal text
	// (f"{REDIS_URL}/1"): the value is Prefix + $Var + Suffix, and Lit
	// holds the default so surrounded. Default and Call are nil then: no
	// fix rewrites a default through the f-string.
	Prefix, Suffix string
}

// Effective returns the value in effect where the environment does not
// override it: the literal, or the env default.
func (v Value) Effective() (Lit, bool) {
	switch v.Kind {
	case Literal, EnvDefault:
		return v.Lit, true
	}
	return Lit{}, false
}

// LitKind is a literal's Python type.
type LitKind int

const (
	None LitKind = iota
	Bool
	Int
	Float
	Str
)

// Lit is a literal value.
type Lit struct {
	Kind  LitKind
	Bool  bool
	Int   int64
	Float float64
	Str   string
	// Quote is the quote character a string literal was written with.
	Quote byte
}

// Truthy is the literal's Python truth value.
func (l Lit) Truthy() bool {
	switch l.Kind {
	case Bool:
		return l.Bool
	case Int:
		return l.Int != 0
	case Float:
		return l.Float != 0
	case Str:
		return l.Str != ""
	}
	return false
}

// Number returns an int or float literal as a float.
func (l Lit) Number() (float64, bool) {
	switch l.Kind {
	case Int:
		return float64(l.Int), true
	case Float:
		return l.Float, true
	case Bool:
		if l.Bool {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func (l Lit) String() string {
	switch l.Kind {
	case Bool:
		if l.Bool {
			return "True"
		}
		return "False"
	case Int:
		return fmt.Sprint(l.Int)
	case Float:
		return fmt.Sprint(l.Float)
	case Str:
		return fmt.Sprintf("%q", l.Str)
	}
	return "None"
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// parseTree runs the grammar over doc and returns the tree and a builder
// over it.
func parseTree(doc *parsers.Document) (*sitter.Tree, *builder, error) {
	src := doc.Src
	base := 0
	if bytes.HasPrefix(src, bom) {
		src, base = src[len(bom):], len(bom) // the grammar does not skip a BOM
	}
	if parsers.SingleByteEncoding(src) {
		// A latin-1 (or other single-byte) module: its bytes past ASCII
		// sit in strings, comments and names, where the grammar reads a
		// same-length ASCII stand-in the same way. The file keeps its
		// bytes; only the parse sees the copy.
		src = bytes.Clone(src)
		for i, c := range src {
			if c >= 0x80 {
				src[i] = '_'
			}
		}
	}
	if loneCR(src) {
		// Python ends lines at a lone \r too; the grammar does not. A copy
		// with \n in their place has the same offsets.
		src = bytes.Clone(src)
		for i, c := range src {
			if c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
				src[i] = '\n'
			}
		}
	}
	if off := deepBracket(src); off >= 0 {
		// CPython's tokenizer refuses more than 200 nested brackets
		// ("too many nested parentheses"); the grammar would take seconds
		// over a million of them.
		return nil, nil, doc.NestingError(off+base, parsers.MaxNesting)
	}
	tree := sitter.Parse(src)
	if tree == nil {
		return nil, nil, doc.Errorf(0, "python: the parser gave up on this file")
	}
	if n := tree.FirstDeeperThan(maxTreeDepth); n != nil {
		return nil, nil, doc.NestingError(int(n.StartByte())+base, maxTreeDepth)
	}
	return tree, newBuilder(doc, src, base), nil
}

// newBuilder returns a builder over a module's parsed text (src, found at
// offset base of doc.Src), with an empty namespace.
func newBuilder(doc *parsers.Document, src []byte, base int) *builder {
	b := &builder{doc: doc, base: base, src: src, m: &Module{Doc: doc, Names: map[string]*Object{}}, envNames: map[string]bool{"env": true}}
	b.names = b.m.Names
	return b
}

// maxTreeDepth bounds the syntax tree's depth: the walks over it recurse,
// and a million nested brackets (or a chain of a million operators) would
// exhaust the goroutine stack. A real settings module's tree is a few dozen
// levels deep; CPython itself refuses such files (too many nested
// parentheses, or recursion too deep during compilation).
const maxTreeDepth = 4 * parsers.MaxNesting

// loneCR reports whether src has a \r that is not part of a \r\n.
func loneCR(src []byte) bool {
	for i := bytes.IndexByte(src, '\r'); i >= 0; {
		if i+1 == len(src) || src[i+1] != '\n' {
			return true
		}
		j := bytes.IndexByte(src[i+1:], '\r')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// deepBracket returns the offset of the first bracket nested deeper than
// parsers.MaxNesting, or -1. Comments and string literals are skipped (a
// backslash always takes the next byte: it ends no literal, raw or not).
func deepBracket(src []byte) int {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '#':
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
		case '\'', '"':
			q := []byte{c}
			if i+2 < len(src) && src[i+1] == c && src[i+2] == c {
				q = []byte{c, c, c}
			}
			i += len(q)
			for i < len(src) && !bytes.HasPrefix(src[i:], q) {
				if src[i] == '\\' {
					i++
				} else if len(q) == 1 && (src[i] == '\n' || src[i] == '\r') {
					break // an unterminated literal ends at its line
				}
				i++
			}
			i += len(q) - 1
		case '(', '[', '{':
			if depth++; depth > parsers.MaxNesting {
				return i
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

// Parse parses doc. A syntax error yields a *parsers.Error at the first
// error the grammar finds.
func Parse(doc *parsers.Document) (*Module, error) {
	tree, b, err := parseTree(doc)
	if err != nil {
		return nil, err
	}
	root := tree.RootNode()
	b.deep = doc.Kind == parsers.KindPythonApp
	if root.HasError() {
		return nil, b.syntaxError(root)
	}
	b.module(root)
	b.m.envNames = b.envNames
	b.m.tree, b.m.src, b.m.base = tree, b.src, b.base
	return b.m, nil
}

type builder struct {
	doc      *parsers.Document
	src      []byte
	base     int // offset of src in doc.Src
	m        *Module
	names    map[string]*Object // the namespace statements are evaluated into
	envNames map[string]bool    // names bound to a django-environ Env()
	deep     bool               // an app module: read classes, functions and lists too
	unbound  string             // the name an enclosing `if "X" not in locals():` tests
	runsIf   *EnvCond           // the environment condition an enclosing `if X is None:` tests
	// flags are the module-level names bound to a flag read from the
	// environment that is false at its default (see envFlag): name to
	// variable.
	flags  map[string]string
	except bool // inside an except clause
	// starUnknown says a star import of a module not in view ran: a name
	// the module uses unbound may come from it.
	starUnknown bool
	// funcs are the module's helper functions (see inline.go); scope and
	// kwScope bind the parameters of the helper call being read.
	funcs map[string]*sitter.Node
	// setups are the module's setup functions (see setup.go).
	setups   map[string]*sitter.Node
	scope    map[string]*Expr
	kwScope  map[string]*kwargs
	inlining int
	attr     string // the class attribute a django-configurations class body assigns
}

// EnvCond says a statement runs only where an environment variable is set
// (Set) or unset: `workers = os.environ.get("WORKERS")` then
// `if workers is None: workers = cpu_count() * 2 + 1` computes the count
// only where WORKERS is unset.
type EnvCond struct {
	Var string
	Set bool
	// Flag says the condition is an on/off flag false at its default
	// (`if DB_POOL_ENABLED:`, see envFlag): where nothing sets the
	// variable the branch does not run (Run leaves it out).
	Flag bool
}

func (b *builder) span(n *sitter.Node) parsers.Span {
	return parsers.Span{Start: int(n.StartByte()) + b.base, End: int(n.EndByte()) + b.base}
}

func (b *builder) text(n *sitter.Node) string { return string(b.src[n.StartByte():n.EndByte()]) }

// syntaxError locates the first ERROR or MISSING node in document order.
func (b *builder) syntaxError(root *sitter.Node) error {
	var found *sitter.Node
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if found != nil {
			return
		}
		if n.IsError() || n.IsMissing() {
			found = n
			return
		}
		if !n.HasError() {
			return
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			if c := n.Child(i); c != nil {
				walk(c)
			}
		}
	}
	walk(root)
	if found == nil {
		return b.doc.Errorf(b.base, "python: syntax error")
	}
	off := int(found.StartByte()) + b.base
	if found.IsMissing() {
		return b.doc.Errorf(off, "python: syntax error: missing %q", found.Kind())
	}
	if open := b.unclosed(found); open != nil {
		return b.doc.Errorf(int(open.StartByte())+b.base, "python: syntax error: %q was never closed", b.text(open))
	}
	tok := found
	for tok.ChildCount() > 0 {
		tok = tok.Child(0)
	}
	if t := b.text(tok); t != "" && len(t) <= 40 {
		return b.doc.Errorf(off, "python: syntax error near %q", t)
	}
	return b.doc.Errorf(off, "python: syntax error")
}

// unclosed returns the innermost bracket an ERROR node that runs to the end
// of the file leaves open: the grammar wraps everything from the statement's
// start, but the bracket is what the author must fix.
func (b *builder) unclosed(n *sitter.Node) *sitter.Node {
	if len(bytes.TrimSpace(b.src[n.EndByte():])) > 0 {
		return nil
	}
	var stack []*sitter.Node
	var leaves func(n *sitter.Node)
	leaves = func(n *sitter.Node) {
		if n.ChildCount() == 0 {
			switch n.Kind() {
			case "(", "[", "{":
				stack = append(stack, n)
			case ")", "]", "}":
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
			return
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			leaves(n.Child(i))
		}
	}
	leaves(n)
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

func (b *builder) module(root *sitter.Node) {
	for i := uint(0); i < root.NamedChildCount(); i++ {
		b.statement(root.NamedChild(i), false)
	}
}

// statement records one statement; compound statements' bodies are read
// as conditional.
func (b *builder) statement(n *sitter.Node, conditional bool) {
	switch n.Kind() {
	case "expression_statement":
		if n.NamedChildCount() == 1 {
			if c := n.NamedChild(0); c.Kind() == "call" && (b.include(n, c, conditional) || b.runSetup(c, conditional)) {
				return
			}
			b.simple(n, n.NamedChild(0), conditional)
		}
	case "import_from_statement":
		if mod := n.ChildByFieldName("module_name"); mod != nil {
			imp := &Import{Module: b.text(mod), Span: b.span(n), Before: len(b.m.Statements), Conditional: conditional}
			for i := uint(0); i < n.NamedChildCount(); i++ {
				switch c := n.NamedChild(i); {
				case c.Kind() == "wildcard_import":
					b.m.StarImports = append(b.m.StarImports, b.text(mod))
					imp.Star = true
					b.starUnknown = true // only Run resolves it
				case c.StartByte() != mod.StartByte() && (c.Kind() == "dotted_name" || c.Kind() == "aliased_import"):
					imp.Names = append(imp.Names, b.text(c))
				}
			}
			b.m.Imports = append(b.m.Imports, imp)
		}
	case "class_definition", "function_definition", "decorated_definition":
		if n.Kind() == "function_definition" {
			b.helper(n)
			b.setup(n)
		}
		if n.Kind() == "class_definition" && !b.deep && !conditional {
			b.confClass(n)
		}
		if b.deep {
			b.definition(n)
		}
	case "if_statement":
		b.ifStatement(n, conditional)
	case "try_statement", "with_statement", "for_statement", "while_statement",
		"block", "else_clause", "elif_clause", "except_clause", "finally_clause":
		outer := b.except
		b.except = b.except || n.Kind() == "except_clause"
		for i := uint(0); i < n.NamedChildCount(); i++ {
			b.statement(n.NamedChild(i), true)
		}
		b.except = outer
	}
}

func (b *builder) simple(stmt, n *sitter.Node, conditional bool) {
	st := &Statement{Doc: b.doc, Span: b.span(stmt), Conditional: conditional, IfUnbound: b.unbound, RunsIf: b.runsIf, Except: b.except}
	switch n.Kind() {
	case "assignment":
		left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
		if left == nil || right == nil || right.Kind() == "assignment" {
			return // annotations without value, chained a = b = c
		}
		st.Op = "="
		st.Value = b.expr(right)
		if !b.target(st, left) {
			return
		}
		if st.Keys == nil && right.Kind() == "call" && st.Value.Call != nil && (st.Value.Call.Func == "environ.Env" || st.Value.Call.Func == "Env") {
			b.envNames[st.Name] = true
		}
		if st.Keys == nil {
			b.bindFlag(st.Name, right, conditional)
		}
	case "augmented_assignment":
		left, right, op := n.ChildByFieldName("left"), n.ChildByFieldName("right"), n.ChildByFieldName("operator")
		if left == nil || right == nil || op == nil {
			return
		}
		st.Op = b.text(op)
		st.Value = b.expr(right)
		if !b.target(st, left) {
			return
		}
	case "call":
		fn := n.ChildByFieldName("function")
		if fn == nil || fn.Kind() != "attribute" {
			return
		}
		attr := fn.ChildByFieldName("attribute")
		obj := fn.ChildByFieldName("object")
		if attr == nil || obj == nil || b.text(attr) != "update" {
			return
		}
		call := b.expr(n).Call
		if call == nil || !b.target(st, obj) {
			return
		}
		st.Op = ".update"
		st.Call = call
		if a := call.Positional(0); a != nil {
			st.Value = a.Value
		}
	default:
		return
	}
	st.LineEnd = b.lineEnd(st.Span.End)
	st.Indent = b.doc.Indentation(st.Span.Start)
	b.m.Statements = append(b.m.Statements, st)
	b.eval(st)
}

// target reads an assignment target: a name, or a name with string
// subscripts.
func (b *builder) target(st *Statement, n *sitter.Node) bool {
	var keys []string
	for n.Kind() == "subscript" {
		sub := n.ChildByFieldName("subscript")
		if sub == nil || n.NamedChildCount() != 2 {
			return false
		}
		k := b.expr(sub)
		if k.Value.Kind != Literal || k.Value.Lit.Kind != Str {
			return false
		}
		keys = append([]string{k.Value.Lit.Str}, keys...)
		st.KeyQuote = k.Value.Lit.Quote
		n = n.ChildByFieldName("value")
		if n == nil {
			return false
		}
	}
	if n.Kind() != "identifier" {
		return false
	}
	st.Name = b.text(n)
	st.Keys = keys
	return true
}

// lineEnd returns the offset past the line terminator of the line holding
// off-1 (or the end of the file).
func (b *builder) lineEnd(off int) int {
	src := b.doc.Src
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}
