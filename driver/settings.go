package driver

import (
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Settings are a project's adjustments to a run, read from .headroom.yaml:
// the targets fixes write, severity overrides, and per-path ignores. The
// zero value (or nil) means the report's defaults.
type Settings struct {
	Targets  *rules.Targets
	Severity map[string]rules.Severity // by rule ID
	// Ignore reports whether findings of r in the file at path are ignored.
	Ignore func(path string, r *rules.Rule) bool
}

// Run checks the stack with the rules and applies the settings to what
// they find. Ignored findings are dropped before anything else sees them,
// so fixes never touch them either.
func (s *Settings) Run(st *stack.Stack, rs []*rules.Rule) []rules.Diagnostic {
	if s == nil {
		return Run(st, rs)
	}
	ds := RunWith(st, rs, s.Targets)
	if s.Ignore == nil && len(s.Severity) == 0 {
		return ds
	}
	kept := ds[:0]
	for _, d := range ds {
		if s.Ignore != nil && s.Ignore(d.Doc.Path, d.Rule) {
			continue
		}
		if sev, ok := s.Severity[d.Rule.ID]; ok {
			d.Severity = sev
		}
		kept = append(kept, d)
	}
	return kept
}
