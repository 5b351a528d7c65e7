package sitter

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tree_sitter "github.com/tree-sitter/go-tree-sitter"
)

// The allocator reset must find tree-sitter's ts_set_allocator in the
// binary; if a link change left the weak symbol unresolved, parsing still
// works but a quarter slower.
func TestDirectAllocator(t *testing.T) {
	if !directAllocator {
		t.Fatal("ts_set_allocator was not linked: tree-sitter still allocates through Go callbacks")
	}
}

// sources are every Python file under the repository's testdata folders,
// and a few modules with syntax errors.
func sources(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{
		"unclosed":  []byte("DATABASES = {\n  'default': {'NAME': 'x',\n"),
		"missing":   []byte("def f(:\n    pass\n"),
		"garbage":   []byte("x = = 1\n)))\nclass\n"),
		"empty":     nil,
		"comment":   []byte("# only a comment"),
		"fstring":   []byte("X = f\"{a!r:>{w}}\" 'b' rb'c'\n"),
		"decorated": []byte("@a.b(c)\nclass K(Base, metaclass=M):\n    x: int = 1\n    def m(self, *a, k=2, **kw): return (yield)\n"),
	}
	root := filepath.Join("..", "..", "..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".py") && strings.Contains(filepath.ToSlash(p), "/testdata/") {
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = src
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 50 {
		t.Fatalf("only %d Python files found under %s", len(out), root)
	}
	return out
}

// Every node of the tree Parse builds answers as the node go-tree-sitter
// returns for the same source: kind, offsets, flags, children, named
// children and the child under every field of the grammar.
func TestTreeMatchesBinding(t *testing.T) {
	p := tree_sitter.NewParser()
	defer p.Close()
	if err := p.SetLanguage(language); err != nil {
		t.Fatal(err)
	}
	var fieldNames []string
	for name := range fields {
		fieldNames = append(fieldNames, name)
	}
	for name, src := range sources(t) {
		want := p.Parse(src, nil)
		got := Parse(src)
		if got == nil {
			t.Fatalf("%s: no tree", name)
		}
		count := 0
		var cmp func(path string, w *tree_sitter.Node, g *Node)
		cmp = func(path string, w *tree_sitter.Node, g *Node) {
			count++
			if w.Kind() != g.Kind() || w.KindId() != g.KindId() || w.StartByte() != g.StartByte() || w.EndByte() != g.EndByte() ||
				w.IsNamed() != g.IsNamed() || w.IsMissing() != g.IsMissing() || w.IsError() != g.IsError() || w.HasError() != g.HasError() ||
				w.ChildCount() != g.ChildCount() || w.NamedChildCount() != g.NamedChildCount() {
				t.Fatalf("%s %s: got %s [%d,%d) named=%v missing=%v error=%v/%v kids=%d/%d, want %s [%d,%d) named=%v missing=%v error=%v/%v kids=%d/%d",
					name, path, g.Kind(), g.StartByte(), g.EndByte(), g.IsNamed(), g.IsMissing(), g.IsError(), g.HasError(), g.ChildCount(), g.NamedChildCount(),
					w.Kind(), w.StartByte(), w.EndByte(), w.IsNamed(), w.IsMissing(), w.IsError(), w.HasError(), w.ChildCount(), w.NamedChildCount())
			}
			for _, f := range fieldNames {
				wc, gc := w.ChildByFieldName(f), g.ChildByFieldName(f)
				if (wc == nil) != (gc == nil) || wc != nil && (wc.StartByte() != gc.StartByte() || wc.EndByte() != gc.EndByte() || wc.Kind() != gc.Kind()) {
					t.Fatalf("%s %s: field %s: got %v, want %v", name, path, f, gc != nil, wc != nil)
				}
			}
			for i := uint(0); i < w.NamedChildCount(); i++ {
				if wn, gn := w.NamedChild(i), g.NamedChild(i); wn.StartByte() != gn.StartByte() || wn.Kind() != gn.Kind() {
					t.Fatalf("%s %s: named child %d: got %s, want %s", name, path, i, gn.Kind(), wn.Kind())
				}
			}
			for i := uint(0); i < w.ChildCount(); i++ {
				cmp(path+"/"+w.Kind(), w.Child(i), g.Child(i))
			}
		}
		cmp("", want.RootNode(), got.RootNode())
		want.Close()
		if count != got.Len() {
			t.Fatalf("%s: %d nodes, want %d", name, got.Len(), count)
		}
	}
}

func TestFirstDeeperThan(t *testing.T) {
	tr := Parse([]byte("x = [[[1]]]\ny = 2\n"))
	// module > expression_statement > assignment > list > list > list > "[" 1 "]"
	if n := tr.FirstDeeperThan(5); n == nil || n.Kind() != "[" || n.StartByte() != 6 {
		t.Fatalf("FirstDeeperThan(5) = %v, want the innermost list's [", n)
	}
	if n := tr.FirstDeeperThan(6); n != nil {
		t.Fatalf("FirstDeeperThan(6) = %s, want nil", n.Kind())
	}
	if n := tr.FirstDeeperThan(0); n == nil || n.Kind() != "expression_statement" {
		t.Fatalf("FirstDeeperThan(0) = %v", n)
	}
}
