package driver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

func loc(doc *parsers.Document, sp parsers.Span) string {
	if doc == nil {
		return "-"
	}
	p := doc.Position(sp.Start)
	return fmt.Sprintf("%s:%d:%d", doc.Path, p.Line, p.Column)
}

// TestNoDuplicateFindings: on every example stack, no rule reports the
// same finding twice (identical in place, message, related locations and
// fixes: nothing the driver should have to drop), and what the driver
// prints never holds two findings of one rule at one place with one
// message.
func TestNoDuplicateFindings(t *testing.T) {
	all := rules.All()
	for _, dir := range rulestest.ExampleStacks(t, "..") {
		stacks, _ := stack.LoadDeployments([]string{dir}, 0, stack.DiscoverOptions{})
		for _, s := range stacks {
			raw := map[string]int{}
			for _, d := range driver.Check(s, all, nil) {
				k := loc(d.Doc, d.Span) + " " + d.Rule.ID + " " + d.Message
				for _, r := range d.Related {
					k += "\n  " + loc(r.Doc, r.Span) + " " + r.Message
				}
				for _, f := range d.Fixes {
					k += "\n  fix " + f.Message
					for _, e := range f.Edits {
						k += fmt.Sprintf(" %s[%d:%d]=%q", e.Path, e.Span.Start, e.Span.End, e.New)
					}
				}
				raw[k]++
			}
			for k, n := range raw {
				if n > 1 {
					t.Errorf("%s: reported %d times by its rule:\n%s", dir, n, k)
				}
			}
			printed := map[string]bool{}
			for _, d := range driver.Run(s, all) {
				k := loc(d.Doc, d.Span) + " " + d.Rule.ID + " " + d.Message
				if printed[k] {
					t.Errorf("%s: printed twice: %s", dir, k)
				}
				printed[k] = true
			}
		}
	}
}

func TestDedupeMergesContexts(t *testing.T) {
	doc := parsers.NewDocument("settings.py", parsers.KindPython, []byte("CACHES = {}\n"))
	r := &rules.Rule{ID: "HR999"}
	web := rules.Location{Doc: doc, Message: "loads these settings: web"}
	worker := rules.Location{Doc: doc, Message: "loads these settings: worker"}
	ds := []rules.Diagnostic{
		{Rule: r, Doc: doc, Span: parsers.Span{Start: 0, End: 6}, Message: "m", Related: []rules.Location{web}},
		{Rule: r, Doc: doc, Span: parsers.Span{Start: 0, End: 6}, Message: "m", Related: []rules.Location{worker}},
		{Rule: r, Doc: doc, Span: parsers.Span{Start: 0, End: 6}, Message: "other", Related: []rules.Location{web}},
	}
	got := driver.Dedupe(ds)
	if len(got) != 2 || len(got[0].Related) != 2 || got[1].Message != "other" {
		var b strings.Builder
		for _, d := range got {
			fmt.Fprintf(&b, "%s %d related\n", d.Message, len(d.Related))
		}
		t.Errorf("Dedupe:\n%s", b.String())
	}
}
