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

// Test rules over requirements files, whose parser accepts any line, so the
// engine's behaviour is seen without any real rule.
var (
	// pinRule pins every unpinned requirement line to ==1.0, one fix per
	// line; two of them on one line never overlap.
	pinRule = &rules.Rule{ID: "HR990", Name: "test-pin", Phase: 1, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			doc := p.Doc()
			for line := 1; line <= doc.LineCount(); line++ {
				sp := doc.LineSpan(line)
				text := doc.Text(sp)
				if text != "" && !strings.HasPrefix(text, "#") && !strings.Contains(text, "==") {
					p.Report(rules.Diagnostic{Span: sp, Message: "unpinned", Fixes: []rules.Fix{{
						Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: sp.End, End: sp.End}, "==1.0")},
					}}})
				}
			}
		}}
	// headerRule inserts a header line at offset 0. pinRule's first
	// insertion ends the first line, not at 0, so both apply in one round.
	headerRule = &rules.Rule{ID: "HR991", Name: "test-header", Phase: 1, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			if !strings.HasPrefix(string(p.Doc().Src), "# pinned\n") {
				p.Report(rules.Diagnostic{Message: "no header", Fixes: []rules.Fix{{
					Edits: []edit.TextEdit{p.Edit(parsers.Span{}, "# pinned\n")},
				}}})
			}
		}}
	// breakRule proposes a fix that makes the file unparsable.
	breakRule = &rules.Rule{ID: "HR992", Name: "test-break", Phase: 1, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			p.Report(rules.Diagnostic{Message: "break", Fixes: []rules.Fix{{
				Edits: []edit.TextEdit{p.Edit(parsers.Span{}, "\x00")},
			}}})
		}}
	// unsafeRule offers only an unsafe fix.
	unsafeRule = &rules.Rule{ID: "HR993", Name: "test-unsafe", Phase: 1, Severity: rules.Warning,
		Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
			if !strings.Contains(string(p.Doc().Src), "unsafe") {
				end := len(p.Doc().Src)
				p.Report(rules.Diagnostic{Message: "u", Fixes: []rules.Fix{{Applicability: rules.Unsafe,
					Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: end, End: end}, "unsafe\n")},
				}}})
			}
		}}
	doc = rules.Doc{Title: "test", Why: "test", Sources: []string{"test"}}
)

func testStack(t *testing.T, src string) *stack.Stack {
	t.Helper()
	f, err := stack.Parse(parsers.NewDocument("requirements.txt", parsers.KindRequirements, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return stack.New([]*stack.File{f})
}

func TestFixedPoint(t *testing.T) {
	s := testStack(t, "django\r\ncelery==5.4\r\nredis\r\n")
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{pinRule, headerRule}})
	got := string(res.Stack.File("requirements.txt").Doc.Src)
	if want := "# pinned\ndjango==1.0\r\ncelery==5.4\r\nredis==1.0\r\n"; got != want {
		t.Errorf("fixed = %q, want %q", got, want)
	}
	if len(res.Applied) != 3 || len(res.Remaining) != 0 || len(res.Changed) != 1 {
		t.Errorf("applied %d, remaining %d, changed %d", len(res.Applied), len(res.Remaining), len(res.Changed))
	}
	if string(res.Original["requirements.txt"]) != "django\r\ncelery==5.4\r\nredis\r\n" {
		t.Errorf("original not kept: %q", res.Original["requirements.txt"])
	}
	again := driver.Fix(res.Stack, driver.Options{Rules: []*rules.Rule{pinRule, headerRule}})
	if len(again.Changed) != 0 {
		t.Error("a second fix changed the file")
	}
}

func TestBrokenFixIsDropped(t *testing.T) {
	s := testStack(t, "django\n")
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{breakRule, pinRule}})
	if len(res.Dropped) != 1 || !strings.Contains(res.Dropped[0].String(), "HR992 fix not applied: the fixed file would not parse") {
		t.Fatalf("dropped = %v", res.Dropped)
	}
	// The pin, merged in the same round, is retried without the broken fix.
	if got := string(res.Stack.File("requirements.txt").Doc.Src); got != "django==1.0\n" {
		t.Errorf("fixed = %q", got)
	}
}

func TestUnsafeNeedsOptIn(t *testing.T) {
	s := testStack(t, "x==1\n")
	if res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{unsafeRule}}); len(res.Changed) != 0 {
		t.Error("applied an unsafe fix without Unsafe")
	}
	if res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{unsafeRule}, Unsafe: true}); len(res.Changed) != 1 {
		t.Error("did not apply the unsafe fix with Unsafe")
	}
}

// appendRule wants lines "a" and "b" at the end; both fixes insert at the
// same offset, so the second waits for the next round and is recomputed on
// the new text.
var appendRule = &rules.Rule{ID: "HR994", Name: "test-append", Phase: 1, Severity: rules.Warning,
	Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
		src := string(p.Doc().Src)
		for _, line := range []string{"a==1\n", "b==1\n"} {
			if !strings.Contains(src, line) {
				p.Report(rules.Diagnostic{Message: "missing " + line, Fixes: []rules.Fix{{
					Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: len(src), End: len(src)}, line)},
				}}})
			}
		}
	}}

func TestOverlappingFixesWaitARound(t *testing.T) {
	res := driver.Fix(testStack(t, "x==1\n"), driver.Options{Rules: []*rules.Rule{appendRule}})
	if got := string(res.Stack.File("requirements.txt").Doc.Src); got != "x==1\na==1\nb==1\n" {
		t.Errorf("fixed = %q", got)
	}
	if len(res.Applied) != 2 || len(res.Dropped) != 0 {
		t.Errorf("applied %d, dropped %v", len(res.Applied), res.Dropped)
	}
}

// growRule appends a line every time it runs: a fix that never settles.
var growRule = &rules.Rule{ID: "HR994", Name: "test-grow", Phase: 1, Severity: rules.Warning,
	Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
		end := len(p.Doc().Src)
		p.Report(rules.Diagnostic{Message: "grow", Fixes: []rules.Fix{{
			Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: end, End: end}, "x\n")},
		}}})
	}}

// A fix that still changes the stack after the last round is reported as
// unstable, and nothing is changed: the round cap never ends a run as if
// it had succeeded.
func TestUnstableFixChangesNothing(t *testing.T) {
	s := testStack(t, "django==5.1\n")
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{growRule}, MaxRounds: 3})
	if len(res.Unstable) != 1 || res.Unstable[0].Rule != growRule {
		t.Fatalf("unstable = %v, want the grow rule's finding", res.Unstable)
	}
	if len(res.Changed) != 0 || len(res.Applied) != 0 || res.Stack != s {
		t.Errorf("changed %d, applied %d, stack replaced %v: an unstable run must change nothing", len(res.Changed), len(res.Applied), res.Stack != s)
	}
	if msg := driver.Unsettled(res.Unstable[0]); !strings.HasPrefix(msg, "requirements.txt:1:1: HR994 ") {
		t.Errorf("message = %q", msg)
	}
	// A stable run reports none.
	if res := driver.Fix(testStack(t, "django\n"), driver.Options{Rules: []*rules.Rule{pinRule}, MaxRounds: 1}); len(res.Unstable) != 0 || len(res.Changed) != 1 {
		t.Errorf("stable run: unstable %d, changed %d", len(res.Unstable), len(res.Changed))
	}
}

// versionRule rewrites the version of the first requirement line, a
// placeholder in a template (`django=={{ django_version }}`) included.
var versionRule = &rules.Rule{ID: "HR995", Name: "test-version", Phase: 1, Severity: rules.Warning,
	Kinds: []parsers.Kind{parsers.KindRequirements}, Doc: doc, Check: func(p *rules.Pass) {
		sp := p.Doc().LineSpan(1)
		text := p.Doc().Text(sp)
		if i := strings.Index(text, "=="); i >= 0 && text[i+2:] != "5.1" {
			p.Report(rules.Diagnostic{Span: sp, Message: "old", Fixes: []rules.Fix{{
				Edits: []edit.TextEdit{p.Edit(parsers.Span{Start: sp.Start + i + 2, End: sp.End}, "5.1")},
			}}})
		}
	}}

func TestFixNeverChangesTemplatePlaceholders(t *testing.T) {
	res := driver.Fix(testStack(t, "django=={{ django_version }}\nredis\n"), driver.Options{Rules: []*rules.Rule{versionRule, pinRule}})
	if len(res.Dropped) != 1 || !strings.Contains(res.Dropped[0].String(), "HR995 fix not applied: the edit would change a template placeholder") {
		t.Fatalf("dropped = %v", res.Dropped)
	}
	if got := string(res.Stack.File("requirements.txt").Doc.Src); got != "django=={{ django_version }}\nredis==1.0\n" {
		t.Errorf("fixed = %q", got)
	}
	res = driver.Fix(testStack(t, "django==4.2\n"), driver.Options{Rules: []*rules.Rule{versionRule}})
	if got := string(res.Stack.File("requirements.txt").Doc.Src); got != "django==5.1\n" {
		t.Errorf("without a placeholder, fixed = %q", got)
	}
}
