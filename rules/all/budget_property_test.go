package all_test

import (
	"testing"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

// TestFixNeverWorsensABudget: on every stack under testdata, `fix` at
// phases 1, 2 and 3, with and without unsafe fixes, leaves no budget
// (PostgreSQL and Redis connections, CPU, memory) over its limit unless it
// already was, and none that was over any further over. The budgets are
// the capacity model's, read before and after.
func TestFixNeverWorsensABudget(t *testing.T) {
	if testing.Short() {
		t.Skip("fixes every stack six times")
	}
	for _, dir := range rulestest.ExampleStacks(t, "../..") {
		stacks, _ := stack.LoadDeployments([]string{dir}, 0, stack.DiscoverOptions{})
		for _, s := range stacks {
			before := map[string]capacity.Budget{}
			for _, b := range capacity.Of(s).Budgets() {
				before[b.Key] = b
			}
			for phase := 1; phase <= 3; phase++ {
				rs, err := rules.Selection{MaxPhase: phase}.Rules()
				if err != nil {
					t.Fatal(err)
				}
				for _, unsafe := range []bool{false, true} {
					res := driver.Fix(s, driver.Options{Rules: rs, Unsafe: unsafe})
					for _, a := range capacity.Of(res.Stack).Budgets() {
						b, had := before[a.Key]
						if !a.Over() || had && a.Used <= b.Used {
							continue
						}
						t.Errorf("%s: fix --phase %d (unsafe %v) takes %s from %d to %d, over its limit of %d", dir, phase, unsafe, a.Key, b.Used, a.Used, a.Usable())
					}
				}
			}
		}
	}
}
