package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// TestUnsafeFlag keeps Rule.Unsafe, which `headroom rules`, `explain` and
// the README show, true to what the rules offer on their test cases: a
// rule that offers an unsafe fix says so, and one that says so offers one.
// The downgrade of a value set under a condition does not count.
func TestUnsafeFlag(t *testing.T) {
	cases, _ := filepath.Glob("../../rules/*/testdata/*/*")
	stacks, _ := filepath.Glob("../../testdata/realworld/*")
	cases = append(append(cases, stacks...), "../../testdata/wingman")
	all := rules.All()
	seen := map[*rules.Rule]bool{}
	for _, dir := range cases {
		if !isDir(dir) {
			continue
		}
		for _, d := range driver.Run(loadCase(t, dir), all) {
			if strings.Contains(d.Message, "; conditional: set under a condition") {
				continue
			}
			for _, f := range d.Fixes {
				seen[d.Rule] = seen[d.Rule] || f.Applicability == rules.Unsafe
			}
		}
	}
	for _, r := range all {
		switch {
		case seen[r] && !r.Unsafe:
			t.Errorf("%s offers an unsafe fix in the rules' test cases, but its Rule lacks Unsafe: true", r.ID)
		case !seen[r] && r.Unsafe:
			t.Errorf("%s says Unsafe: true, but no test case (rules/*/testdata, testdata/realworld) gets an unsafe fix from it", r.ID)
		}
	}
}

// loadCase reads a rule's test case folder as one stack, as the rules'
// harness does (rulestest, whose -update flag this package has too).
func loadCase(t *testing.T, dir string) *stack.Stack {
	var files []*stack.File
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		kind := parsers.Detect(filepath.ToSlash(rel), src)
		if kind == parsers.KindUnknown {
			return nil
		}
		f, err := stack.Parse(parsers.NewDocument(filepath.ToSlash(rel), kind, src))
		if err != nil {
			return nil // the harness reports it
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return stack.New(files)
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
