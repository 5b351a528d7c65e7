package driver

import (
	"sort"

	"github.com/headroom-dev/headroom/internal/parallel"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Run checks every file of the stack with every rule that applies to its
// kind and returns the findings ordered by path, position and rule. Fixes
// write the report's default targets.
func Run(s *stack.Stack, rs []*rules.Rule) []rules.Diagnostic { return RunWith(s, rs, nil) }

// RunWith is Run with the targets fixes write (nil: the defaults).
func RunWith(s *stack.Stack, rs []*rules.Rule, targets *rules.Targets) []rules.Diagnostic {
	out := suppress(s, rs, Dedupe(check(s, rs, targets)))
	Sort(out)
	return out
}

// check runs the rules and returns what they report, as they report it:
// not merged, not suppressed, not sorted.
func check(s *stack.Stack, rs []*rules.Rule, targets *rules.Targets) []rules.Diagnostic {
	if targets == nil {
		targets = rules.DefaultTargets()
	}
	// Files are checked in parallel: rules only read the stack, and each
	// file's findings go to its own slot, joined in file order.
	perFile := make([][]rules.Diagnostic, len(s.Files))
	parallel.Each(len(s.Files), func(i int) {
		f := s.Files[i]
		report := func(d rules.Diagnostic) { perFile[i] = append(perFile[i], d) }
		for _, r := range rs {
			if r.Check == nil || !r.Checks(f.Doc.Kind) {
				continue
			}
			r.Check(rules.NewPass(r, f, s, targets, report))
		}
	})
	var out []rules.Diagnostic
	for _, ds := range perFile {
		out = append(out, ds...)
	}
	return out
}

// Sort orders findings by path, offset, then rule ID.
func Sort(ds []rules.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Doc.Path != b.Doc.Path {
			return a.Doc.Path < b.Doc.Path
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Rule.ID < b.Rule.ID
	})
}
