package report

import (
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Phase is the deployments after the safe fixes of the phases up to
// Phase, applied in memory (driver.Fix on the parsed files; nothing is
// written).
type Phase struct {
	Phase       int                `json:"phase"`
	Deployments []*PhaseDeployment `json:"deployments"`
}

// PhaseDeployment is one deployment after a phase: the fixes the phase
// applied, those it held back, and the model they leave.
type PhaseDeployment struct {
	Root     string     `json:"root"`
	Applied  []FixNote  `json:"applied"`
	Held     []FixNote  `json:"held"`
	Changed  []string   `json:"changed_files"`
	Services []*Service `json:"services"`
	Budgets  []Budget   `json:"budgets"`
	// WebThroughputRPS and Saturates are as in Deployment.
	WebThroughputRPS *float64 `json:"web_throughput_rps"`
	Saturates        []string `json:"saturates"`
	// ChangePercent is the change of WebThroughputRPS against the current
	// configuration (nil when either has no bound or the current is 0).
	ChangePercent *float64 `json:"change_percent"`

	deployment *Deployment
	applied    []rules.Diagnostic
	dropped    []driver.Dropped
}

// FixNote is a fix applied or held back in a phase.
type FixNote struct {
	Rule    string `json:"rule"`
	Phase   int    `json:"phase"`
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	// Reason says why a held fix was not applied.
	Reason string `json:"reason,omitempty"`
}

func note(d rules.Diagnostic) FixNote {
	msg := d.Message
	if f := d.SafeFix(); f != nil && f.Message != "" {
		msg = f.Message
	}
	return FixNote{Rule: d.Rule.ID, Phase: d.Rule.Phase, Path: d.Doc.Path, Line: d.Pos().Line, Message: msg}
}

// phases applies the safe fixes of phase 1, then phases 1 and 2, then 1
// to 3, to each deployment in memory, in one driver.Fix run per
// deployment that reports the stack each phase's stage leaves, as `fix
// --phase 3` stages them.
func phases(deps []*Deployment, opt Options) []*Phase {
	out := make([]*Phase, 3)
	for p := range out {
		out[p] = &Phase{Phase: p + 1, Deployments: []*PhaseDeployment{}}
	}
	for _, d := range deps {
		type stage struct {
			s       *stack.Stack
			applied []rules.Diagnostic
			dropped []driver.Dropped
		}
		stages := map[int]stage{}
		res := driver.Fix(d.stack, driver.Options{Rules: opt.Rules, Settings: opt.Settings,
			Stage: func(phase int, s *stack.Stack, applied []rules.Diagnostic, dropped []driver.Dropped) {
				stages[phase] = stage{s, applied, dropped}
			}})
		prev := stage{s: d.stack}
		for p := 1; p <= 3; p++ {
			st, ok := stages[p]
			if !ok || len(res.Unstable) > 0 {
				// No rule of this phase runs (or the fixes never settle,
				// and fix would write nothing): the previous phase's stack.
				st = stage{s: prev.s}
			}
			out[p-1].Deployments = append(out[p-1].Deployments, phaseDeployment(d, st.s, st.applied, st.dropped, opt.Assumptions))
			prev = st
		}
	}
	return out
}

// phaseDeployment is a deployment after a phase's fixes.
func phaseDeployment(d *Deployment, s *stack.Stack, applied []rules.Diagnostic, dropped []driver.Dropped, a Assumptions) *PhaseDeployment {
	after := deployment(s, a)
	pd := &PhaseDeployment{Root: d.Root, Applied: []FixNote{}, Held: []FixNote{}, Changed: []string{},
		Services: after.Services, Budgets: after.Budgets, WebThroughputRPS: after.WebThroughputRPS,
		Saturates: after.Saturates, deployment: after, applied: applied, dropped: dropped}
	for _, ap := range applied {
		pd.Applied = append(pd.Applied, note(ap))
	}
	for _, dr := range dropped {
		n := note(dr.Diagnostic)
		n.Reason = dr.Reason
		pd.Held = append(pd.Held, n)
	}
	for _, f := range s.Files {
		if orig := d.stack.File(f.Doc.Path); orig == nil || orig.Doc != f.Doc {
			pd.Changed = append(pd.Changed, f.Doc.Path)
		}
	}
	pd.ChangePercent = percent(d.WebThroughputRPS, pd.WebThroughputRPS)
	return pd
}

// percent is the change from before to after, in percent.
func percent(before, after *float64) *float64 {
	if before == nil || after == nil || *before <= 0 {
		return nil
	}
	p := (*after - *before) / *before * 100
	return &p
}

// changedIn names the files of a diagnostic's fix, as shown.
func changedIn(f *rules.Fix) []string {
	set := map[string]bool{}
	for _, e := range f.Edits {
		set[parsers.ShowPath(e.Path)] = true
	}
	return sortedKeys(set)
}
