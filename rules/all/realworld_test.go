package all_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

// TestRealWorld runs every phase-1 rule on the small stacks of
// testdata/realworld, each written after a layout common in public Django
// projects (its README names the pattern). Each must load without a parse
// error, raise exactly the findings its `# want` comments expect (none for
// servers headroom has no rules for), and fix to its .golden files, with
// every edit in the file where the value is decided; and each must be one
// deployment, as `headroom lint` splits a tree.
func TestRealWorld(t *testing.T) {
	rs, err := rules.Selection{MaxPhase: 1}.Rules()
	if err != nil {
		t.Fatal(err)
	}
	root := "../../testdata/realworld"
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			dir := filepath.Join(root, e.Name())
			s := rulestest.RunTree(t, rs, dir)
			// Each case is one deployment, as `headroom lint` splits a
			// tree: judged apart, its files would not see each other.
			if ds := stack.Deployments(s.Files); len(ds) > 1 {
				t.Errorf("lint would judge this case as %d deployments, not one", len(ds))
			}
			if strings.HasPrefix(e.Name(), "templated-") && len(s.Skipped) == 0 {
				t.Error("the templated files were not skipped")
			}
		})
	}
	if n < 20 {
		t.Errorf("%d real-world stacks; the issue asks for at least 20", n)
	}
}
