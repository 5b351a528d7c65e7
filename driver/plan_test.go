package driver_test

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// A toy deployment whose one budget is the number of requirement lines,
// with a limit of 3: addLineRule adds a line (as raising workers adds
// connections), dropLineRule removes the line "drop" (as turning on a pool
// makes room).
var (
	addLineRule = &rules.Rule{ID: "HR996", Name: "test-add-line", Phase: 1, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			src := p.Doc().Src
			if strings.Count(string(src), "\n") < 6 {
				p.Report(rules.Diagnostic{Message: "grow", Fixes: []rules.Fix{{
					Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: len(src), End: len(src)}, "more\n")},
				}}})
			}
		}}
	dropLineRule = &rules.Rule{ID: "HR997", Name: "test-drop-line", Phase: 1, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			src := string(p.Doc().Src)
			if i := strings.Index(src, "drop\n"); i >= 0 {
				p.Report(rules.Diagnostic{Message: "shrink", Fixes: []rules.Fix{{
					Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: i, End: i + len("drop\n")}, "")},
				}}})
			}
		}}
	lines = func(s *stack.Stack) []driver.Budget {
		n := strings.Count(string(s.Files[0].Doc.Src), "\n")
		return []driver.Budget{{Key: "lines", Label: "requirement lines", Used: float64(n), Limit: 3}}
	}
)

func TestFixStaysWithinBudget(t *testing.T) {
	// 2 lines: one more fits the limit of 3; the next is held back.
	res := driver.Fix(testStack(t, "a\nb\n"), driver.Options{Rules: []*rules.Rule{addLineRule}, Budgets: lines})
	if got := string(res.Stack.Files[0].Doc.Src); got != "a\nb\nmore\n" {
		t.Errorf("fixed to %q, want one line added", got)
	}
	if len(res.Dropped) != 1 || !strings.Contains(res.Dropped[0].Reason, "requirement lines from 3 to 4, over the limit of 3") {
		t.Errorf("dropped: %v", res.Dropped)
	}
	// Without the budget the same rule grows the file to 6 lines.
	if res := driver.Fix(testStack(t, "a\nb\n"), driver.Options{Rules: []*rules.Rule{addLineRule}, Budgets: func(*stack.Stack) []driver.Budget { return nil }}); strings.Count(string(res.Stack.Files[0].Doc.Src), "\n") != 6 {
		t.Errorf("without a budget: %q", res.Stack.Files[0].Doc.Src)
	}
}

func TestFixNeverWorsensABudgetAlreadyOver(t *testing.T) {
	res := driver.Fix(testStack(t, "a\nb\nc\nd\n"), driver.Options{Rules: []*rules.Rule{addLineRule}, Budgets: lines})
	if len(res.Changed) != 0 || len(res.Dropped) != 1 {
		t.Errorf("a budget already over was made worse: %q, dropped %v", res.Stack.Files[0].Doc.Src, res.Dropped)
	}
}

func TestFixCountsRoomMadeInTheSameRun(t *testing.T) {
	// 4 lines against 3: growing alone is worse, but shrinking in the same
	// round keeps the budget where it was, so both apply; later rounds
	// may grow no further.
	res := driver.Fix(testStack(t, "a\nb\nc\ndrop\n"), driver.Options{Rules: []*rules.Rule{addLineRule, dropLineRule}, Budgets: lines})
	if got := string(res.Stack.Files[0].Doc.Src); got != "a\nb\nc\nmore\n" {
		t.Errorf("fixed to %q", got)
	}
	if len(res.Applied) != 2 || len(res.Dropped) != 1 {
		t.Errorf("applied %d, dropped %v", len(res.Applied), res.Dropped)
	}
}

func TestFixGivesEarlierPhasesTheRoom(t *testing.T) {
	// One line of room: the phase-1 fix takes it, the phase-3 fix that
	// would also add one is held back.
	late := &rules.Rule{ID: "HR998", Name: "test-late", Phase: 3, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			if !strings.HasPrefix(string(p.Doc().Src), "late\n") {
				p.Report(rules.Diagnostic{Message: "late", Fixes: []rules.Fix{{Edits: []edit.TextEdit{p.Edit(parsers.Span{}, "late\n")}}}})
			}
		}}
	res := driver.Fix(testStack(t, "a\nb\n"), driver.Options{Rules: []*rules.Rule{late, addLineRule}, Budgets: lines})
	if got := string(res.Stack.Files[0].Doc.Src); got != "a\nb\nmore\n" {
		t.Errorf("fixed to %q, want the phase-1 line only", got)
	}
	heldLate := false
	for _, d := range res.Dropped {
		heldLate = heldLate || d.Diagnostic.Rule == late
	}
	if !heldLate {
		t.Errorf("the phase-3 fix was not held back: %v", res.Dropped)
	}
}
