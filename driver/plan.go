package driver

import (
	"fmt"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Budget is one limited resource of a deployment as the capacity model
// counts it: PostgreSQL or Redis connections of a server, the CPU or the
// memory of a service. Key is stable across edits of the same deployment,
// so the budgets of a stack before and after a fix can be compared.
type Budget struct {
	Key   string
	Label string // for messages: "PostgreSQL connections (db)"
	Used  float64
	Limit float64 // <= 0: no known limit
}

// BudgetFunc computes a stack's budgets.
type BudgetFunc func(*stack.Stack) []Budget

// overrun is one budget a set of fixes would make worse.
type overrun struct {
	Label                string
	Before, After, Limit float64
}

func (o overrun) String() string {
	return fmt.Sprintf("it would take %s from %s to %s, over the limit of %s", o.Label, num(o.Before), num(o.After), num(o.Limit))
}

func num(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprint(int64(f))
	}
	return fmt.Sprintf("%.2f", f)
}

// worsened lists the budgets that after holds over their limit and above
// what before held: a fix may not push a budget past its limit, nor push
// further one that already was. A budget within its limit after the fix
// is fine however much it grew.
func worsened(before, after []Budget) []overrun {
	was := make(map[string]float64, len(before))
	for _, b := range before {
		was[b.Key] = b.Used
	}
	var out []overrun
	for _, a := range after {
		if a.Limit <= 0 || a.Used <= a.Limit || a.Used <= was[a.Key] {
			continue
		}
		out = append(out, overrun{Label: a.Label, Before: was[a.Key], After: a.Used, Limit: a.Limit})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// planner keeps a fix round within the deployment's budgets.
type planner struct {
	budgets BudgetFunc
	memo    map[*stack.Stack][]Budget
	// drops are the fixes held back in the current round, by finding. They
	// are tried again each round, since an applied fix may have made room.
	drops map[string]Dropped
}

func newPlanner(f BudgetFunc) *planner {
	if f == nil {
		return nil
	}
	return &planner{budgets: f, memo: map[*stack.Stack][]Budget{}, drops: map[string]Dropped{}}
}

// newRound lets the fixes held back last round be tried again: the
// fixes applied since may have made room for them.
func (p *planner) newRound(blocked map[string]bool) {
	if p == nil {
		return
	}
	for k := range p.drops {
		delete(blocked, k)
		delete(p.drops, k)
	}
}

// held returns the fixes held back in the last round, in finding order.
func (p *planner) held() []Dropped {
	if p == nil {
		return nil
	}
	out := make([]Dropped, 0, len(p.drops))
	for _, d := range p.drops {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func (p *planner) of(s *stack.Stack) []Budget {
	if b, ok := p.memo[s]; ok {
		return b
	}
	b := p.budgets(s)
	p.memo[s] = b
	return b
}

// check reports whether next (cur with the chosen fixes applied) keeps
// every budget, and if not holds back the fixes that would break one, with
// the reason, so the round can be tried again without them. Fixes are
// taken in order of phase and rule, each kept when the budgets still hold
// with it and the fixes kept before it: the earlier phases' changes come
// first, and a fix that makes room (Django's pool) is counted with those
// that use it.
func (p *planner) check(cur, next *stack.Stack, chosen []rules.Diagnostic, unsafe bool, blocked map[string]bool) bool {
	if p == nil {
		return true
	}
	before := p.of(cur)
	if len(worsened(before, p.of(next))) == 0 {
		return true
	}
	order := append([]rules.Diagnostic(nil), chosen...)
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i].Rule, order[j].Rule
		if a.Phase != b.Phase {
			return a.Phase < b.Phase
		}
		return a.ID < b.ID
	})
	kept := map[string][]edit.TextEdit{}
	with := func(base map[string][]edit.TextEdit, d rules.Diagnostic) map[string][]edit.TextEdit {
		out := make(map[string][]edit.TextEdit, len(base)+1)
		for k, v := range base {
			out[k] = v
		}
		for _, e := range chooseFix(d, unsafe).Edits {
			out[e.Path] = append(append([]edit.TextEdit(nil), out[e.Path]...), e)
		}
		return out
	}
	overAfter := func(edits map[string][]edit.TextEdit) ([]overrun, bool) {
		files, broken := applyAll(cur, edits)
		if broken != nil {
			return nil, false
		}
		return worsened(before, p.budgets(stack.New(files))), true
	}
	for _, d := range order {
		try := with(kept, d)
		bad, ok := overAfter(try)
		if ok && len(bad) == 0 {
			kept = try
			continue
		}
		reason := "together with the fixes before it, " + describe(bad)
		if alone, ok := overAfter(with(nil, d)); ok && len(alone) > 0 {
			reason = describe(alone)
		}
		if !ok {
			reason = "together with the fixes before it, the fixed file would not parse"
		}
		dd := Dropped{Diagnostic: d, Reason: "it would break a budget: " + reason, Budget: true}
		blocked[key(d)] = true
		p.drops[key(d)] = dd
	}
	return false
}

func describe(os []overrun) string {
	parts := make([]string, len(os))
	for i, o := range os {
		parts[i] = o.String()
	}
	return strings.Join(parts, "; ")
}

// budgets is the budget function a fix run plans against.
func (o Options) budgets() BudgetFunc {
	if o.Budgets != nil {
		return o.Budgets
	}
	if o.Settings != nil {
		return BudgetsWith(o.Settings.Targets.Capacity())
	}
	return DefaultBudgets
}

// DefaultBudgets is the capacity model's budgets: PostgreSQL and Redis
// connections per server, and per service the worker processes its CPU
// limit admits and the memory they take. A budget whose limit headroom
// cannot read has none here; an assumed limit (a server outside the stack,
// at its defaults) counts, since the fix cannot know better than the
// finding that assumed it.
func DefaultBudgets(s *stack.Stack) []Budget { return BudgetsWith(capacity.Options{})(s) }

// BudgetsWith is the capacity model's budgets built with opts (the
// project's worker memory estimate and declared infrastructure), so a fix
// run plans against the limits its findings were judged by.
func BudgetsWith(opts capacity.Options) BudgetFunc {
	return func(s *stack.Stack) []Budget { return budgetsOf(capacity.With(s, opts)) }
}

func budgetsOf(m *capacity.Model) []Budget {
	bs := m.Budgets()
	out := make([]Budget, 0, len(bs))
	for _, b := range bs {
		limit := 0.0
		if b.LimitKnown {
			limit = float64(b.Usable())
		}
		out = append(out, Budget{Key: b.Key, Label: budgetLabel(b), Used: float64(b.Used), Limit: limit})
	}
	return out
}

func budgetLabel(b capacity.Budget) string {
	switch b.Resource {
	case capacity.Postgres:
		return "the PostgreSQL connections" + of(b.Name)
	case capacity.Redis:
		return "the Redis connections" + of(b.Name)
	case capacity.CPU:
		return "the worker processes of " + b.Name + " (against its CPU limit)"
	case capacity.Memory:
		return "the memory of " + b.Name + " (" + b.Unit + ")"
	}
	return b.Key
}

func of(name string) string {
	if name == "" {
		return ""
	}
	return " of " + name
}
