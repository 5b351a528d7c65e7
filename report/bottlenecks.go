package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// Bottleneck is one finding on the current configuration, with what it
// costs at the estimated load and what `fix` does about it.
type Bottleneck struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Phase    int    `json:"phase"`
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
	// Impact is the rule's documented expected impact.
	Impact string `json:"impact"`
	// GainRPS is the change of the web throughput this finding's safe fix
	// makes applied alone to the current configuration (nil when it has
	// no safe fix, or either estimate has no bound); GainPercent the same
	// against the current throughput.
	GainRPS     *float64 `json:"gain_rps"`
	GainPercent *float64 `json:"gain_percent"`
	// Budgets lists the budgets the fix alone changes: "postgres:db 107 -> 40".
	Budgets []string `json:"budgets"`
	Fix     FixPlan  `json:"fix"`
}

// FixPlan says what `fix` writes for a finding, or why it will not.
type FixPlan struct {
	// Status is "applied" (a safe fix, applied in AppliedInPhase),
	// "held" (a safe fix the budgets or the parse held back), "unsafe"
	// (only with --unsafe-fixes) or "none".
	Status         string   `json:"status"`
	Description    string   `json:"description"`
	Files          []string `json:"files"`
	AppliedInPhase int      `json:"applied_in_phase,omitempty"`
}

// costs lints the current configuration and finds what each finding
// costs at the estimated load: its safe fix is applied alone to the
// current stack and the web throughput and budgets compared. One at a
// time: the stacks share the deployment's parsed files, and assembling a
// stack re-links its nginx files.
func costs(d *Deployment, opt Options) ([]rules.Diagnostic, []Bottleneck) {
	diags := opt.Settings.Run(d.stack, opt.Rules)
	out := make([]Bottleneck, len(diags))
	for i, dg := range diags {
		b := Bottleneck{Rule: dg.Rule.ID, Name: dg.Rule.Name, Title: dg.Rule.Doc.Title, Severity: dg.Severity.String(), Phase: dg.Rule.Phase,
			Path: dg.Doc.Path, Line: dg.Pos().Line, Message: dg.Message, Impact: dg.Rule.Doc.Impact, Budgets: []string{}}
		if f := dg.SafeFix(); f != nil {
			if !readByModel(d, f) {
				zero := 0.0
				b.GainRPS, b.GainPercent = &zero, percent(d.WebThroughputRPS, d.WebThroughputRPS)
			} else if next, err := driver.Apply(d.stack, *f); err == nil {
				gain(d, deployment(next, opt.Assumptions), &b)
			}
		}
		out[i] = b
	}
	return diags, out
}

// ranked says what the phases did with each finding's fix, and orders
// the findings by the throughput their safe fix alone gains, then by the
// budgets it changes, severity and phase.
func ranked(out []Bottleneck, diags []rules.Diagnostic, phases []*Phase, idx int) []Bottleneck {
	for i, dg := range diags {
		out[i].Fix = plan(dg, phases, idx)
	}
	sev := map[string]int{"error": 3, "warning": 2, "info": 1}
	gainOf := func(b Bottleneck) float64 {
		if b.GainRPS == nil {
			return 0
		}
		return *b.GainRPS
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ga, gb := gainOf(a), gainOf(b); ga != gb {
			return ga > gb
		}
		if (len(a.Budgets) > 0) != (len(b.Budgets) > 0) {
			return len(a.Budgets) > 0
		}
		if sev[a.Severity] != sev[b.Severity] {
			return sev[a.Severity] > sev[b.Severity]
		}
		return a.Phase < b.Phase
	})
	return out
}

// readByModel reports whether a fix edits a file the capacity model
// reads: every kind but nginx configuration (the model counts processes,
// connections and limits; nginx's own settings are the rules' business).
// A fix of nginx files alone changes no estimate, so it is not applied.
func readByModel(d *Deployment, f *rules.Fix) bool {
	for _, e := range f.Edits {
		if file := d.stack.File(e.Path); file == nil || file.Doc.Kind != parsers.KindNginx {
			return true
		}
	}
	return false
}

// gain records what after (the deployment with one fix applied) changes
// of d: the web throughput and the budgets.
func gain(d, after *Deployment, b *Bottleneck) {
	if d.WebThroughputRPS != nil && after.WebThroughputRPS != nil {
		g := *after.WebThroughputRPS - *d.WebThroughputRPS
		b.GainRPS = &g
		b.GainPercent = percent(d.WebThroughputRPS, after.WebThroughputRPS)
	}
	was := budgetsByKey(d.Budgets)
	for _, nb := range after.Budgets {
		if ob, ok := was[nb.Key]; ok && ob.Used != nb.Used {
			b.Budgets = append(b.Budgets, fmt.Sprintf("%s %d -> %d of %d", nb.Key, ob.Used, nb.Used, nb.Usable))
		}
	}
}

// plan finds what the phases did with a finding's fix: the phase that
// applied one of the same rule on the same file (its message may have
// changed once earlier fixes made room), or the reason it was held back.
func plan(dg rules.Diagnostic, phases []*Phase, idx int) FixPlan {
	f := dg.SafeFix()
	for _, ph := range phases {
		pd := ph.Deployments[idx]
		if a, ok := match(dg, pd.applied); ok {
			fp := FixPlan{Status: "applied", AppliedInPhase: ph.Phase, Description: describeFix(a)}
			if af := a.SafeFix(); af != nil {
				fp.Files = changedIn(af)
			}
			return fp
		}
	}
	if f != nil {
		for _, ph := range phases {
			for _, dr := range ph.Deployments[idx].dropped {
				if same(dg, dr.Diagnostic) {
					return FixPlan{Status: "held", Description: "not applied: " + dr.Reason, Files: changedIn(f)}
				}
			}
		}
		return FixPlan{Status: "held", Description: "not applied: the finding is gone once the earlier fixes are in", Files: changedIn(f)}
	}
	if len(dg.Fixes) > 0 {
		return FixPlan{Status: "unsafe", Description: "changes behaviour, so only `headroom fix --unsafe-fixes` writes it: " + dg.Fixes[0].Message, Files: changedIn(&dg.Fixes[0])}
	}
	return FixPlan{Status: "none", Description: "no automatic fix: " + noFixText(dg.Rule.Doc.Fix), Files: []string{}}
}

// noFixText is a rule's Doc.Fix on one line, without its own "No
// automatic fix:" or "None:" lead.
func noFixText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, lead := range []string{"No automatic fix:", "None:", "No automatic fix.", "None."} {
		s = strings.TrimSpace(strings.TrimPrefix(s, lead))
	}
	return s
}

func describeFix(d rules.Diagnostic) string {
	if f := d.SafeFix(); f != nil && f.Message != "" {
		return f.Message
	}
	return strings.Join(strings.Fields(d.Rule.Doc.Fix), " ")
}

// match finds the applied diagnostic that stands for dg: the same rule,
// file and message, else the only one of the same rule and file.
func match(dg rules.Diagnostic, applied []rules.Diagnostic) (rules.Diagnostic, bool) {
	var cands []rules.Diagnostic
	for _, a := range applied {
		if a.Rule != dg.Rule || a.Doc.Path != dg.Doc.Path {
			continue
		}
		if a.Message == dg.Message {
			return a, true
		}
		cands = append(cands, a)
	}
	if len(cands) == 1 {
		return cands[0], true
	}
	return rules.Diagnostic{}, false
}

func same(a, b rules.Diagnostic) bool {
	return a.Rule == b.Rule && a.Doc.Path == b.Doc.Path && a.Message == b.Message
}
