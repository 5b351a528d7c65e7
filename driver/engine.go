package driver

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Options chooses what a fix run applies.
type Options struct {
	Rules    []*rules.Rule
	Settings *Settings // the project's targets, severities and ignores (nil: defaults)
	Unsafe   bool      // apply unsafe fixes where no safe one exists
	// MaxRounds bounds the lint-fix-relint loop (default 10); fixes that
	// keep producing new fixes past it are a bug in a rule, not in the
	// file, and are reported in Result.Unstable.
	MaxRounds int
	// Budgets computes the deployment's budgets, against which every
	// round of fixes is planned (nil: the capacity model's).
	Budgets BudgetFunc
	// Stage, when set, is told the stack each phase's stage leaves (the
	// rules up to phase, fixed to their fixed point), with the findings
	// whose fix the stage applied and the fixes it dropped: what `fix
	// --phase N` would write, for every N, in one run.
	Stage func(phase int, s *stack.Stack, applied []rules.Diagnostic, dropped []Dropped)
	// Editable, when set, limits the fixes to the files it accepts (the
	// files named on the command line, judged in their deployment): a
	// finding in another file is not fixed, and a fix of a finding in an
	// accepted file that edits another file too is dropped with the file
	// it needs.
	Editable func(path string) bool
	// applies are the findings (by key) whose fix the same run over every
	// file of the deployment applies: with Editable, no other is fixed.
	applies map[string]bool
}

// Dropped is a fix that was not applied because it would have left its file
// unparsable or because its edits were invalid.
type Dropped struct {
	Diagnostic rules.Diagnostic
	Reason     string
	// Budget says the fix was held back to keep a budget (connections,
	// CPU, memory) within its limit: the plan working, not a fault of the
	// rule or the file.
	Budget bool
}

// Result is the outcome of a fix run.
type Result struct {
	Stack     *stack.Stack        // the stack after every applied fix
	Original  map[string][]byte   // the content each changed file had before
	Changed   []*parsers.Document // changed files, final content, by path
	Applied   []rules.Diagnostic  // findings whose fix was applied
	Remaining []rules.Diagnostic  // findings left on the fixed stack
	Dropped   []Dropped
	// Unstable are the findings whose fixes still changed the stack after
	// MaxRounds rounds: fixes that do not reach a fixed point, a bug in a
	// rule. Nothing is changed then (Changed is empty, Stack is the stack
	// as given), and the run must fail.
	Unstable []rules.Diagnostic
}

// Fix lints s, applies the chosen fix of every finding, re-parses the
// changed files, and repeats until no fix applies: a fixed point, so running
// it again changes nothing. Fixes are merged whole: when two overlap, the
// later waits for the next round, where it is recomputed on the new text.
//
// When the rules span phases, the phases are fixed in order, as the
// capacity report applies them: phase 1's rules to their fixed point, then
// phases 1 and 2, then 1 to 3. A later phase's change (more replicas) is
// then planned against the budgets an earlier phase's change (more
// workers) already uses, never the other way round.
func Fix(s *stack.Stack, opt Options) *Result {
	if opt.MaxRounds <= 0 {
		opt.MaxRounds = 10
	}
	res := &Result{Original: map[string][]byte{}}
	blocked := map[string]bool{}
	if opt.Editable != nil && opt.applies == nil {
		// The named files get no fix the whole deployment's run would not
		// apply: that run also fixes the other files (more workers in the
		// Dockerfile), and a fix planned without them (a larger Redis pool
		// in settings.py) can be one it holds back.
		whole := opt
		whole.Editable, whole.Stage = nil, nil
		opt.applies = map[string]bool{}
		for _, d := range Fix(s, whole).Applied {
			opt.applies[key(d)] = true
		}
	}
	plan := newPlanner(opt.budgets())
	cur := s
	for _, rs := range phaseStages(opt.Rules) {
		nApplied, nDropped := len(res.Applied), len(res.Dropped)
		for round := 0; ; round++ {
			plan.newRound(blocked)
			diags := opt.Settings.Run(cur, rs)
			if opt.Editable != nil {
				var outside []Dropped
				diags, outside = editableOnly(diags, opt, blocked)
				res.Dropped = append(res.Dropped, outside...)
			}
			next, applied, dropped := fixRound(cur, diags, opt.Unsafe, blocked, plan)
			res.Dropped = append(res.Dropped, dropped...)
			if next == nil {
				if opt.Stage != nil {
					stageDropped := append(append([]Dropped(nil), res.Dropped[nDropped:]...), plan.held()...)
					opt.Stage(maxPhase(rs), cur, res.Applied[nApplied:len(res.Applied):len(res.Applied)], stageDropped)
				}
				break
			}
			if round == opt.MaxRounds {
				// Still changing after the last round allowed: report what
				// kept changing and change nothing.
				return &Result{Stack: s, Original: map[string][]byte{}, Unstable: applied, Remaining: opt.Settings.Run(s, opt.Rules)}
			}
			for _, f := range cur.Files {
				if _, seen := res.Original[f.Doc.Path]; !seen && next.File(f.Doc.Path).Doc != f.Doc {
					res.Original[f.Doc.Path] = f.Doc.Src
				}
			}
			res.Applied = append(res.Applied, applied...)
			cur = next
		}
	}
	res.Dropped = append(res.Dropped, plan.held()...)
	res.Stack = cur
	res.Remaining = opt.Settings.Run(cur, opt.Rules)
	for p, orig := range res.Original {
		if f := cur.File(p); !bytes.Equal(f.Doc.Src, orig) {
			res.Changed = append(res.Changed, f.Doc)
		} else {
			delete(res.Original, p)
		}
	}
	sort.Slice(res.Changed, func(i, j int) bool { return res.Changed[i].Path < res.Changed[j].Path })
	return res
}

// editableOnly keeps the findings located in a file opt.Editable accepts,
// and drops (once, through blocked) those whose fix edits a file it does
// not accept.
func editableOnly(diags []rules.Diagnostic, opt Options, blocked map[string]bool) ([]rules.Diagnostic, []Dropped) {
	var kept []rules.Diagnostic
	var dropped []Dropped
	for _, d := range diags {
		if !opt.Editable(d.Doc.Path) {
			continue
		}
		fix := chooseFix(d, opt.Unsafe)
		if fix != nil && !blocked[key(d)] && opt.applies != nil && !opt.applies[key(d)] {
			blocked[key(d)] = true
			dropped = append(dropped, Dropped{Diagnostic: d, Reason: "the fix of the whole deployment (every file fixed together, as fix on its folder) does not apply it: name the folder to see why"})
		}
		if fix != nil && !blocked[key(d)] {
			for _, e := range fix.Edits {
				if !opt.Editable(e.Path) {
					blocked[key(d)] = true
					dropped = append(dropped, Dropped{Diagnostic: d, Reason: "it also edits " + e.Path + ", which was not named: name that file too (or the folder) to apply it"})
					break
				}
			}
		}
		kept = append(kept, d)
	}
	return kept, dropped
}

// phaseStages returns the rule sets Fix runs to a fixed point in turn: the
// rules of the lowest phase, then those up to the next phase, and so on;
// the last stage is all of rs. Rules keep their order.
func phaseStages(rs []*rules.Rule) [][]*rules.Rule {
	var phases []int
	seen := map[int]bool{}
	for _, r := range rs {
		if !seen[r.Phase] {
			seen[r.Phase] = true
			phases = append(phases, r.Phase)
		}
	}
	sort.Ints(phases)
	stages := make([][]*rules.Rule, 0, len(phases))
	for _, ph := range phases {
		var stage []*rules.Rule
		for _, r := range rs {
			if r.Phase <= ph {
				stage = append(stage, r)
			}
		}
		stages = append(stages, stage)
	}
	if len(stages) == 0 {
		stages = append(stages, rs)
	}
	return stages
}

func maxPhase(rs []*rules.Rule) int {
	p := 0
	for _, r := range rs {
		p = max(p, r.Phase)
	}
	return p
}

func key(d rules.Diagnostic) string {
	return d.Rule.ID + "\x00" + d.Doc.Path + "\x00" + d.Message
}

func chooseFix(d rules.Diagnostic, unsafe bool) *rules.Fix {
	if f := d.SafeFix(); f != nil {
		return f
	}
	if unsafe && len(d.Fixes) > 0 {
		return &d.Fixes[0]
	}
	return nil
}

// fixRound applies one round of non-overlapping fixes. It returns the new
// stack, or nil when nothing changed.
func fixRound(cur *stack.Stack, diags []rules.Diagnostic, unsafe bool, blocked map[string]bool, plan *planner) (*stack.Stack, []rules.Diagnostic, []Dropped) {
	var dropped []Dropped
	src := func(p string) ([]byte, bool) {
		if f := cur.File(p); f != nil {
			return f.Doc.Src, true
		}
		return nil, false
	}
	for {
		accepted := map[string][]edit.TextEdit{}
		var chosen []rules.Diagnostic
		for _, d := range diags {
			fix := chooseFix(d, unsafe)
			if fix == nil || blocked[key(d)] {
				continue
			}
			if err := internalConflict(*fix, src); err != nil {
				blocked[key(d)] = true
				dropped = append(dropped, Dropped{Diagnostic: d, Reason: err.Error()})
				continue
			}
			if conflicts(*fix, accepted) {
				continue
			}
			for _, e := range fix.Edits {
				accepted[e.Path] = append(accepted[e.Path], e)
			}
			chosen = append(chosen, d)
		}
		if len(chosen) == 0 {
			return nil, nil, dropped
		}
		files, broken := applyAll(cur, accepted)
		if broken == nil {
			changed := false
			for i, f := range files {
				if f.Doc != cur.Files[i].Doc {
					changed = true
				}
			}
			if !changed {
				return nil, nil, dropped
			}
			next := stack.New(files)
			next.Tree = cur.Tree // fixes edit files, never add or remove one
			if plan.check(cur, next, chosen, unsafe, blocked) {
				return next, chosen, dropped
			}
			continue
		}
		// A file no longer parses. Each fix that touched it is tried alone;
		// those that break it alone are dropped for good. When only their
		// combination breaks it, all of them are dropped: neither is safe
		// to guess at. The round is then tried again.
		var touching []rules.Diagnostic
		for _, d := range chosen {
			for _, e := range chooseFix(d, unsafe).Edits {
				if e.Path == broken.path {
					touching = append(touching, d)
					break
				}
			}
		}
		culprits := 0
		for _, d := range touching {
			if err := breaksAlone(cur, *chooseFix(d, unsafe)); err != nil {
				blocked[key(d)] = true
				dropped = append(dropped, Dropped{Diagnostic: d, Reason: "the fixed file would not parse: " + err.Error()})
				culprits++
			}
		}
		if culprits == 0 {
			for _, d := range touching {
				blocked[key(d)] = true
				dropped = append(dropped, Dropped{Diagnostic: d, Reason: "together with other fixes, the fixed file would not parse: " + broken.err.Error()})
			}
		}
	}
}

// breaksAlone applies one fix to the current stack and reports the parse
// error it causes, if any.
func breaksAlone(cur *stack.Stack, fix rules.Fix) error {
	byPath := map[string][]edit.TextEdit{}
	for _, e := range fix.Edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	if _, broken := applyAll(cur, byPath); broken != nil {
		return broken.err
	}
	return nil
}

type brokenFile struct {
	path string
	err  error
}

// applyAll applies the accepted edits and re-parses each changed file.
func applyAll(cur *stack.Stack, accepted map[string][]edit.TextEdit) ([]*stack.File, *brokenFile) {
	files := make([]*stack.File, len(cur.Files))
	for i, f := range cur.Files {
		edits, ok := accepted[f.Doc.Path]
		if !ok {
			files[i] = f
			continue
		}
		src, err := edit.Apply(f.Doc.Src, edits)
		if err != nil {
			return nil, &brokenFile{f.Doc.Path, err}
		}
		if bytes.Equal(src, f.Doc.Src) {
			files[i] = f
			continue
		}
		nf, err := stack.Parse(parsers.NewDocument(f.Doc.Path, f.Doc.Kind, src))
		if err != nil {
			return nil, &brokenFile{f.Doc.Path, err}
		}
		files[i] = nf
	}
	return files, nil
}

// String describes a dropped fix for the user.
func (d Dropped) String() string {
	pos := d.Diagnostic.Pos()
	return fmt.Sprintf("%s:%d:%d: %s fix not applied: %s", parsers.ShowPath(d.Diagnostic.Doc.Path), pos.Line, pos.Column, d.Diagnostic.Rule.ID, d.Reason)
}

// FixAll fixes each stack (each deployment of a monorepo) on its own and
// merges the results; Result.Stack is set only for a single stack.
func FixAll(stacks []*stack.Stack, opt Options) *Result {
	if len(stacks) == 1 {
		return Fix(stacks[0], opt)
	}
	all := &Result{Original: map[string][]byte{}}
	for _, s := range stacks {
		r := Fix(s, opt)
		for p, b := range r.Original {
			all.Original[p] = b
		}
		all.Changed = append(all.Changed, r.Changed...)
		all.Applied = append(all.Applied, r.Applied...)
		all.Remaining = append(all.Remaining, r.Remaining...)
		all.Dropped = append(all.Dropped, r.Dropped...)
		all.Unstable = append(all.Unstable, r.Unstable...)
	}
	sort.Slice(all.Changed, func(i, j int) bool { return all.Changed[i].Path < all.Changed[j].Path })
	Sort(all.Remaining)
	return all
}

// conflicts reports whether any edit of fix overlaps an accepted edit of the
// same file.
func conflicts(fix rules.Fix, accepted map[string][]edit.TextEdit) bool {
	for _, e := range fix.Edits {
		for _, a := range accepted[e.Path] {
			if e.Span.Overlaps(a.Span) {
				return true
			}
		}
	}
	return false
}

// internalConflict reports whether a fix's own edits overlap one another,
// leave their file's bounds, or would change a template placeholder
// (`{{ var }}`, `{% tag %}`) of a file that is not rendered yet.
func internalConflict(fix rules.Fix, src func(string) ([]byte, bool)) error {
	byPath := map[string][]edit.TextEdit{}
	for _, e := range fix.Edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for p, es := range byPath {
		b, ok := src(p)
		if !ok {
			return fmt.Errorf("edit of %s, a file not in the stack", p)
		}
		if err := edit.Validate(len(b), es); err != nil {
			return err
		}
		for _, e := range es {
			if parsers.TouchesTemplate(b, e.Span) {
				return fmt.Errorf("the edit would change a template placeholder of %s", parsers.ShowPath(p))
			}
		}
	}
	return nil
}

// Unsettled describes a finding of Result.Unstable for the user.
func Unsettled(d rules.Diagnostic) string {
	pos := d.Pos()
	return fmt.Sprintf("%s:%d:%d: %s fix keeps changing the file after every round (a bug in headroom; please report it)", parsers.ShowPath(d.Doc.Path), pos.Line, pos.Column, d.Rule.ID)
}
