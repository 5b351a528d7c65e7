package stack

import (
	"path"
	"path/filepath"
)

// Tree is what the folders being linted hold: the path of every file
// discovery walked past, whether or not headroom reads it, so a rule can
// tell a script the deployment names but headroom has no reason to read
// from one that is not in the repository at all. Folders discovery never
// enters (.git, node_modules, virtualenvs, gitignored folders) count as
// holding nothing.
type Tree struct {
	// Base is the folder the tree's relative paths are read from ("" for
	// the working folder; a test's case folder).
	Base  string
	roots []string
	files map[string]bool
	bases map[string]bool
}

// NewTree starts an empty tree of the folders roots.
func NewTree(roots ...string) *Tree {
	t := &Tree{files: map[string]bool{}, bases: map[string]bool{}}
	for _, r := range roots {
		t.roots = append(t.roots, path.Clean(filepath.ToSlash(r)))
	}
	return t
}

// Add records a file of the tree.
func (t *Tree) Add(p string) {
	p = path.Clean(filepath.ToSlash(p))
	t.files[p] = true
	t.bases[path.Base(p)] = true
}

// Covers reports whether p lies inside one of the tree's folders: only
// there does a missing file mean it is not in the repository.
func (t *Tree) Covers(p string) bool {
	p = path.Clean(p)
	for _, r := range t.roots {
		if !outside(r, p) {
			return true
		}
	}
	return false
}

// Has reports whether the tree holds the file p.
func (t *Tree) Has(p string) bool { return t.files[path.Clean(p)] }

// HasBase reports whether the tree holds a file called name, anywhere.
func (t *Tree) HasBase(name string) bool { return t.bases[name] }

// Named lists the files of the tree called name, anywhere.
func (t *Tree) Named(name string) []string {
	var out []string
	for p := range t.files {
		if path.Base(p) == name {
			out = append(out, p)
		}
	}
	return out
}

// Roots are the tree's folders.
func (t *Tree) Roots() []string { return t.roots }
