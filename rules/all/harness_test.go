package all_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

// TestEveryRuleOnItsTestdata runs every registered rule that checks files
// on rules/<area>/testdata/<rule-name>/, its cases, and fails when a rule
// has no such folder or leaves a field of its Doc empty: adding a rule is
// one file plus its testdata.
func TestEveryRuleOnItsTestdata(t *testing.T) {
	for _, r := range rules.All() {
		if r.Check == nil {
			continue // the driver's own rules (suppressions), tested in driver
		}
		t.Run(r.ID+"-"+r.Name, func(t *testing.T) {
			d := r.Doc
			for field, v := range map[string]string{"Title": d.Title, "Why": d.Why, "Impact": d.Impact, "Fix": d.Fix, "Bad": d.Bad, "Good": d.Good, "Since": d.Since} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s: Doc.%s is empty", r, field)
				}
			}
			if len(d.Sources) == 0 {
				t.Errorf("%s: Doc.Sources is empty", r)
			}
			dirs, err := filepath.Glob(filepath.Join("..", "*", "testdata", r.Name))
			if err != nil {
				t.Fatal(err)
			}
			if len(dirs) != 1 {
				t.Fatalf("%s: want one folder rules/<area>/testdata/%s with its cases, found %d", r, r.Name, len(dirs))
			}
			rulestest.Run(t, r, dirs[0])
		})
	}
}
