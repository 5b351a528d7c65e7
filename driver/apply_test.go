package driver_test

import (
	"bytes"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
	"github.com/headroom-dev/headroom/stack"
)

func wingman(t *testing.T) *stack.Stack {
	t.Helper()
	st, errs := stack.Load([]string{"../testdata/wingman"}, 0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return st
}

// TestStageIsFixPhase: the stack Fix reports for each phase's stage is the
// one `fix --phase N` leaves, byte for byte, so one run tells every phase.
func TestStageIsFixPhase(t *testing.T) {
	st := wingman(t)
	staged := map[int]*stack.Stack{}
	driver.Fix(st, driver.Options{Rules: rules.All(), Stage: func(phase int, s *stack.Stack, applied []rules.Diagnostic, _ []driver.Dropped) {
		staged[phase] = s
	}})
	for p := 1; p <= 3; p++ {
		rs, _ := rules.Selection{MaxPhase: p}.Rules()
		want := driver.Fix(st, driver.Options{Rules: rs}).Stack
		got := staged[p]
		if got == nil {
			t.Fatalf("no stage for phase %d", p)
		}
		for _, f := range want.Files {
			if g := got.File(f.Doc.Path); g == nil || !bytes.Equal(g.Doc.Src, f.Doc.Src) {
				t.Errorf("phase %d: %s differs from fix --phase %d's", p, f.Doc.Path, p)
			}
		}
	}
}

// TestApply applies one fix in memory: the file's new bytes re-parsed,
// the original stack untouched; an edit out of bounds is an error.
func TestApply(t *testing.T) {
	st := wingman(t)
	var fix *rules.Fix
	for _, d := range driver.Run(st, rules.All()) {
		if d.Rule.ID == "HR102" {
			fix = d.SafeFix()
		}
	}
	if fix == nil {
		t.Fatal("wingman has no HR102 fix to apply")
	}
	p := fix.Edits[0].Path
	before := st.File(p).Doc.Src
	next, err := driver.Apply(st, *fix)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := edit.Apply(before, fix.Edits)
	if !bytes.Equal(next.File(p).Doc.Src, want) || bytes.Equal(want, before) || !bytes.Equal(st.File(p).Doc.Src, before) {
		t.Errorf("Apply: got %q", next.File(p).Doc.Src)
	}
	bad := rules.Fix{Edits: []edit.TextEdit{{Path: p, Span: parsers.Span{Start: len(before) + 5, End: len(before) + 6}, New: "x"}}}
	if _, err := driver.Apply(st, bad); err == nil {
		t.Error("an edit past the end of the file applied")
	}
}
