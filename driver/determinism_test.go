package driver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

// render prints every finding with everything output formats print of it.
func render(ds []rules.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s %s %v %s\n", loc(d.Doc, d.Span), d.Rule.ID, d.Severity, d.Message)
		for _, r := range d.Related {
			fmt.Fprintf(&b, "  %s %s\n", loc(r.Doc, r.Span), r.Message)
		}
		for _, f := range d.Fixes {
			fmt.Fprintf(&b, "  fix %v %s\n", f.Applicability, f.Message)
			for _, e := range f.Edits {
				fmt.Fprintf(&b, "    %s[%d:%d]=%q\n", e.Path, e.Span.Start, e.Span.End, e.New)
			}
		}
	}
	return b.String()
}

// TestOutputIsDeterministic lints every example stack several times, each
// from a fresh load, and compares everything printed: no map iteration
// order may reach the output.
func TestOutputIsDeterministic(t *testing.T) {
	all := rules.All()
	for _, dir := range rulestest.ExampleStacks(t, "..") {
		var first string
		for run := 0; run < 4; run++ {
			stacks, _ := stack.LoadDeployments([]string{dir}, 0, stack.DiscoverOptions{})
			var out strings.Builder
			for _, s := range stacks {
				out.WriteString(render(driver.Run(s, all)))
			}
			if run == 0 {
				first = out.String()
				continue
			}
			if out.String() != first {
				t.Errorf("%s: run %d printed differently:\n--- first\n%s\n--- run %d\n%s", dir, run+1, first, run+1, out.String())
				break
			}
		}
	}
}
