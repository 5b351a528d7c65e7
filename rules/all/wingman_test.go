package all_test

import (
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

// TestWingmanPhase1 fixes the report's own stack with every phase-1 rule
// and checks the result with the real tools (nginx -t, Python's compiler
// and Django, BuildKit's parser), and that fixing again changes nothing.
func TestWingmanPhase1(t *testing.T) {
	s := rulestest.Load(t, "../../testdata/wingman")
	rs, err := rules.Selection{MaxPhase: 1}.Rules()
	if err != nil {
		t.Fatal(err)
	}
	res := driver.Fix(s, driver.Options{Rules: rs})
	for _, d := range res.Dropped {
		t.Errorf("%s", d)
	}
	changed := map[string]bool{}
	for _, doc := range res.Changed {
		changed[doc.Path] = true
	}
	for _, p := range []string{"Dockerfile", "nginx/nginx.conf", "wingman/settings.py"} {
		if !changed[p] {
			t.Errorf("fix --phase 1 did not change %s", p)
		}
	}
	for _, d := range res.Remaining {
		if d.SafeFix() != nil {
			t.Errorf("%s:%v: %s still offers a safe fix after fixing: %s", d.Doc.Path, d.Pos(), d.Rule.ID, d.Message)
		}
	}
	if again := driver.Fix(res.Stack, driver.Options{Rules: rs}); len(again.Changed) > 0 {
		t.Errorf("a second fix changed %s", again.Changed[0].Path)
	}
	rulestest.RealTools(t, res)
}
