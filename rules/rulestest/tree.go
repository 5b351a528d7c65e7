package rulestest

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// LoadTree reads dir as `headroom lint dir` discovers a project (scripts
// by shebang and content, env files, templates skipped), with paths
// relative to dir. Any file that fails to read or parse fails t: a valid
// project must load whole.
func LoadTree(t testing.TB, dir string) *stack.Stack {
	t.Helper()
	cands, errs := stack.Discover([]string{dir})
	for _, err := range errs {
		t.Errorf("%s: discover: %v", dir, err)
	}
	var files []*stack.File
	var skipped []stack.Skipped
	read := func(c stack.Candidate, rel string) {
		if strings.HasSuffix(c.Path, ".golden") {
			return
		}
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		f, err := stack.ParseOrSkip(parsers.NewDocument(rel, c.Kind, src))
		var sk *stack.Skip
		if errors.As(err, &sk) {
			skipped = append(skipped, stack.Skipped{Path: rel, Reason: sk.Reason})
			return
		}
		if err != nil {
			t.Errorf("%s: parse error on a valid file: %v", dir, err)
			return
		}
		files = append(files, f)
	}
	known := map[string]bool{}
	for _, c := range cands {
		rel, _ := filepath.Rel(dir, c.Path)
		known[filepath.ToSlash(rel)] = true
		read(c, filepath.ToSlash(rel))
	}
	// Files the deployment mounts or copies into nginx, as load does.
	for _, c := range stack.ReferencedNginx(files, []string{"."}, dir) {
		if !known[c.Path] {
			read(c, c.Path)
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Doc.Path < files[j].Doc.Path })
	s := stack.New(files)
	s.Skipped = append(skipped, s.Skipped...)
	s.Tree = treeOf(t, dir)
	return s
}

// treeOf is the Tree of dir with paths relative to it, as discovery
// records it for `headroom lint dir`; expected outputs (.golden, .unsafe)
// are not part of the project.
func treeOf(t testing.TB, dir string) *stack.Tree {
	t.Helper()
	tree := stack.NewTree(".")
	tree.Base = dir
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") || strings.HasSuffix(p, ".unsafe") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil {
			tree.Add(rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// RunTree checks the rules rs together on the project in dir, loaded as
// LoadTree does: every finding must be expected by a `# want` comment and
// every expectation met, and the fixed files must equal their .golden.
func RunTree(t *testing.T, rs []*rules.Rule, dir string) *stack.Stack {
	t.Helper()
	s := LoadTree(t, dir)
	var ws []*want
	for _, f := range s.Files {
		ws = append(ws, wants(t, f.Doc)...)
	}
	checkLoaded(t, dir, s)
	for _, d := range driver.Run(s, rs) {
		pos := d.Pos()
		matched := false
		for _, w := range ws {
			if !w.met && w.path == d.Doc.Path && w.line == pos.Line && w.re.MatchString(d.Rule.ID+" "+d.Message) {
				w.met, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected finding: %s %s", d.Doc.Path, pos.Line, pos.Column, d.Rule.ID, d.Message)
		}
	}
	for _, w := range ws {
		if !w.met {
			t.Errorf("%s:%d: no finding matching %q", w.path, w.line, w.re)
		}
	}
	checkFixes(t, rs, dir, s)
	return s
}

// ExampleStacks lists every folder under the repository at repo that holds
// a stack to test with: the report's example stack, the real-world
// layouts, each rule case (rules/<area>/testdata/<rule>/<case>) and the
// trust stacks. It fails t when it finds too few to be the repository's.
func ExampleStacks(t testing.TB, repo string) []string {
	t.Helper()
	var dirs []string
	for _, glob := range []string{"testdata/wingman", "testdata/realworld/*", "rules/*/testdata/*/*", "testdata/trust/*"} {
		m, err := filepath.Glob(filepath.Join(repo, glob))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range m {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				dirs = append(dirs, d)
			}
		}
	}
	if len(dirs) < 100 {
		t.Fatalf("%d example stacks under %s; the globs are wrong", len(dirs), repo)
	}
	return dirs
}

// checkLoaded fails t for each file of dir with a `# want` comment that the
// stack neither read nor skipped: an expectation in a file headroom never
// found would otherwise go unchecked.
func checkLoaded(t *testing.T, dir string, s *stack.Stack) {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range s.Files {
		seen[f.Doc.Path] = true
	}
	for _, sk := range s.Skipped {
		seen[sk.Path] = true
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		// .golden and .unsafe files are the expected output of fixes.
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") || strings.HasSuffix(p, ".unsafe") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if seen[rel] {
			return nil
		}
		if src, err := os.ReadFile(p); err == nil && wantComment.Match(src) {
			t.Errorf("%s: has # want comments, but headroom did not load it", rel)
		}
		return nil
	})
}
