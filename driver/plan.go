package driver

import (
	"fmt"
	"sort"
	"strings"

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

// check reports whether next (cur with the chosen fixes applied) makes a
// budget worse, and if so blocks the fixes responsible, with the reason,
// so the round can be tried again without them. A fix is responsible when
// applied alone to cur it makes a budget worse; when none does alone but
// together they do, every chosen fix that raises a budget that ends over
// its limit is.
func (p *planner) check(cur, next *stack.Stack, chosen []rules.Diagnostic, unsafe bool, blocked map[string]bool) bool {
	if p == nil {
		return true
	}
	var dropped []Dropped
	before := p.of(cur)
	bad := worsened(before, p.of(next))
	if len(bad) == 0 {
		return true
	}
	over := map[string]bool{}
	for _, o := range bad {
		over[o.Label] = true
	}
	type alone struct {
		d      rules.Diagnostic
		bad    []overrun
		raises bool
	}
	var each []alone
	culprits := 0
	for _, d := range chosen {
		a := alone{d: d}
		byPath := map[string][]edit.TextEdit{}
		for _, e := range chooseFix(d, unsafe).Edits {
			byPath[e.Path] = append(byPath[e.Path], e)
		}
		if files, broken := applyAll(cur, byPath); broken == nil {
			after := p.budgets(stack.New(files))
			a.bad = worsened(before, after)
			a.raises = raisesAny(before, after, over)
		}
		if len(a.bad) > 0 {
			culprits++
		}
		each = append(each, a)
	}
	for _, a := range each {
		switch {
		case len(a.bad) > 0:
			dropped = append(dropped, Dropped{a.d, "it would make a budget worse: " + describe(a.bad)})
		case culprits == 0 && a.raises:
			dropped = append(dropped, Dropped{a.d, "together with the other fixes " + describe(bad)})
		default:
			continue
		}
	}
	if len(dropped) == 0 {
		// No single fix can be named: keep the budget, drop them all.
		for _, a := range each {
			dropped = append(dropped, Dropped{a.d, "together with the other fixes " + describe(bad)})
		}
	}
	for _, d := range dropped {
		blocked[key(d.Diagnostic)] = true
		p.drops[key(d.Diagnostic)] = d
	}
	return false
}

// raisesAny reports whether after holds more than before of any budget
// whose label is in labels.
func raisesAny(before, after []Budget, labels map[string]bool) bool {
	was := map[string]float64{}
	for _, b := range before {
		was[b.Key] = b.Used
	}
	for _, a := range after {
		if labels[a.Label] && a.Used > was[a.Key] {
			return true
		}
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
	return DefaultBudgets
}

// DefaultBudgets is the capacity model's budgets; nil until one is wired.
var DefaultBudgets BudgetFunc
