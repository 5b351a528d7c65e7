package all_test

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

// goldenStacks are the rule test cases that have a fixed form (a .golden
// beside a file), and the report's own stack.
func goldenStacks(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{"../../testdata/wingman": true}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".golden") {
			return err
		}
		// rules/<area>/testdata/<rule>/<case>/...
		parts := strings.Split(filepath.ToSlash(p), "/")
		for i := range parts {
			if parts[i] == "testdata" && i+2 < len(parts) {
				set[filepath.Join(parts[:i+3]...)] = true
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// TestNoContradictions fixes every golden stack with every phase-1 rule,
// as `fix --phase 1` does, then lints the result with every registered
// rule: no finding may be new (a rule flagging what another rule just
// wrote, or what its write implies) but an info without a fix, and none
// may still offer a safe fix.
// Findings are matched by rule, file and the text they point at, since
// fixes move lines.
func TestNoContradictions(t *testing.T) {
	fixing, err := rules.Selection{MaxPhase: 1}.Rules()
	if err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	key := func(d rules.Diagnostic) string {
		return d.Rule.ID + "\x00" + d.Doc.Path + "\x00" + d.Doc.Text(d.Span)
	}
	for _, dir := range goldenStacks(t) {
		t.Run(strings.TrimPrefix(filepath.ToSlash(dir), "../"), func(t *testing.T) {
			s := rulestest.Load(t, dir)
			before := map[string]bool{}
			for _, d := range driver.Run(s, all) {
				before[key(d)] = true
			}
			res := driver.Fix(s, driver.Options{Rules: fixing})
			for _, d := range driver.Run(res.Stack, all) {
				pos := d.Pos()
				// A note without a fix of what headroom cannot decide
				// about the fixed command (HR102: which uvicorn runs the
				// --workers supervisor HR101 turned on) asks nothing of
				// the fix: it is not a contradiction.
				note := d.Severity == rules.Info && len(d.Fixes) == 0
				if !before[key(d)] && !note {
					t.Errorf("%s:%d:%d: after fix --phase 1, %s flags what the fixes wrote: %s", d.Doc.Path, pos.Line, pos.Column, d.Rule.ID, d.Message)
				}
				if d.Rule.Phase <= 1 && d.SafeFix() != nil {
					t.Errorf("%s:%d:%d: after fix --phase 1, %s still offers a safe fix: %s", d.Doc.Path, pos.Line, pos.Column, d.Rule.ID, d.Message)
				}
			}
		})
	}
}
