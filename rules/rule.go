// Package rules defines what a rule is (a value carrying its own docs, as in
// go/analysis and staticcheck), what it reports (Diagnostics with byte-edit
// Fixes), the registry every rule package adds itself to, and the runner.
package rules

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// Severity orders how much a finding matters.
type Severity int

const (
	Info Severity = iota + 1 // zero means "the rule's own severity"
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unset"
}

// Applicability says whether a fix may be applied without asking: Safe fixes
// keep the behaviour the author clearly wants; Unsafe ones change meaning and
// need --unsafe-fixes.
type Applicability int

const (
	Safe Applicability = iota
	Unsafe
)

func (a Applicability) String() string { return [...]string{"safe", "unsafe"}[a] }

// Doc is a rule's documentation; `headroom explain` and the README's rule
// table render it.
type Doc struct {
	Title  string // one line, no final period
	Why    string // why it matters
	Impact string // the capacity report's expected impact
	Fix    string // what the fix writes and when it is safe
	Bad    string // an example that is flagged
	Good   string // the same example, fixed
	// Sources are the docs, code or tracker entries the advice was checked
	// against.
	Sources []string
	Since   string // the headroom version that added the rule
}

// Rule is one check. IDs are never reused; names are kebab-case; both work
// wherever a rule is named.
type Rule struct {
	ID       string
	Name     string
	Phase    int // the capacity report's phase: 1, 2 or 3
	Severity Severity
	// Kinds are the file kinds Check runs on, once per file.
	Kinds []parsers.Kind
	// Unsafe says the rule offers an unsafe fix, applied only with
	// --unsafe-fixes (for at least some findings). The downgrade every
	// settings rule makes for a value set under a condition does not count.
	Unsafe bool
	// Fixable says the rule offers a safe fix (for at least some findings).
	Fixable bool
	Doc     Doc
	Check   func(*Pass)
}

// Location is a place in a file: the main one of a finding, or a related
// one in another file that makes the finding true.
type Location struct {
	Doc     *parsers.Document
	Span    parsers.Span
	Message string
}

// Fix is a set of edits that stand or fall together.
type Fix struct {
	Message       string
	Applicability Applicability
	Edits         []edit.TextEdit
}

// Diagnostic is one finding.
type Diagnostic struct {
	Rule     *Rule
	Severity Severity // the rule's, unless the finding says otherwise
	Doc      *parsers.Document
	Span     parsers.Span
	Message  string
	Related  []Location
	Fixes    []Fix
}

// Pos is where the finding starts.
func (d *Diagnostic) Pos() parsers.Position { return d.Doc.Position(d.Span.Start) }

// End is where the finding ends.
func (d *Diagnostic) End() parsers.Position { return d.Doc.Position(d.Span.End) }

// Detach makes ds hold no file's source: each finding and related location
// points at a pinned document (parsers.Document.Pinned) that keeps its
// positions and, for a finding, its text (output.Fingerprint reads it).
// Everything an output reads of a finding still answers the same; what
// finds, fixes or re-reads files needs the documents themselves.
func Detach(ds []Diagnostic) {
	type need struct {
		offsets []int
		spans   []parsers.Span
	}
	needs := map[*parsers.Document]*need{}
	var docs []*parsers.Document
	at := func(doc *parsers.Document) *need {
		n, ok := needs[doc]
		if !ok {
			n = &need{}
			needs[doc] = n
			docs = append(docs, doc)
		}
		return n
	}
	for _, d := range ds {
		n := at(d.Doc)
		n.offsets = append(n.offsets, d.Span.Start, d.Span.End)
		n.spans = append(n.spans, d.Span)
		for _, r := range d.Related {
			n := at(r.Doc)
			n.offsets = append(n.offsets, r.Span.Start, r.Span.End)
		}
	}
	pinned := make(map[*parsers.Document]*parsers.Document, len(docs))
	for _, doc := range docs {
		pinned[doc] = doc.Pinned(needs[doc].offsets, needs[doc].spans)
	}
	for i := range ds {
		ds[i].Doc = pinned[ds[i].Doc]
		if len(ds[i].Related) > 0 {
			rel := make([]Location, len(ds[i].Related))
			for j, r := range ds[i].Related {
				rel[j] = Location{Doc: pinned[r.Doc], Span: r.Span, Message: r.Message}
			}
			ds[i].Related = rel
		}
	}
}

// SafeFix returns the first safe fix, if any.
func (d *Diagnostic) SafeFix() *Fix {
	for i := range d.Fixes {
		if d.Fixes[i].Applicability == Safe {
			return &d.Fixes[i]
		}
	}
	return nil
}

// Pass is what a rule's Check sees: one file, its parsed tree (through
// File), and the whole Stack.
type Pass struct {
	Rule    *Rule
	File    *stack.File
	Stack   *stack.Stack
	Targets *Targets // the values fixes write; never nil
	report  func(Diagnostic)
}

// NewPass is the pass a driver hands r's Check for file f: report receives
// every finding, with its rule and defaults filled in.
func NewPass(r *Rule, f *stack.File, s *stack.Stack, targets *Targets, report func(Diagnostic)) *Pass {
	return &Pass{Rule: r, File: f, Stack: s, Targets: targets, report: report}
}

// Model is the capacity model of the pass's stack, with the project's
// worker memory estimate and declared infrastructure.
func (p *Pass) Model() *capacity.Model { return capacity.With(p.Stack, p.Targets.Capacity()) }

// Doc is the document being checked.
func (p *Pass) Doc() *parsers.Document { return p.File.Doc }

// Report records a finding on the pass's file unless it names another.
func (p *Pass) Report(d Diagnostic) {
	d.Rule = p.Rule
	if d.Doc == nil {
		d.Doc = p.File.Doc
	}
	if d.Severity == 0 {
		d.Severity = p.Rule.Severity
	}
	p.report(d)
}

// Reportf records a finding without fixes.
func (p *Pass) Reportf(span parsers.Span, format string, args ...any) {
	p.Report(Diagnostic{Span: span, Message: fmt.Sprintf(format, args...)})
}

// Edit is shorthand for an edit in the pass's own file.
func (p *Pass) Edit(span parsers.Span, text string) edit.TextEdit {
	return edit.TextEdit{Path: p.File.Doc.Path, Span: span, New: text}
}

// String renders a rule as "HR101 (gunicorn-workers)".
func (r *Rule) String() string { return r.ID + " (" + r.Name + ")" }

// Checks reports whether the rule runs on files of kind k.
func (r *Rule) Checks(k parsers.Kind) bool {
	for _, kk := range r.Kinds {
		if kk == k {
			return true
		}
	}
	return false
}

// validate panics on a malformed rule declaration: a programming error that
// every test run catches at init.
func (r *Rule) validate() {
	switch {
	case len(r.ID) != 5 || !strings.HasPrefix(r.ID, "HR"):
		panic("rules: bad rule ID " + r.ID)
	case r.Name == "" || strings.ToLower(r.Name) != r.Name || strings.Contains(r.Name, " "):
		panic("rules: bad rule name " + r.Name + " for " + r.ID)
	case r.Phase < 1 || r.Phase > 3:
		panic("rules: bad phase for " + r.ID)
	case r.Doc.Title == "" || r.Doc.Why == "" || len(r.Doc.Sources) == 0:
		panic("rules: " + r.ID + " lacks its docs (title, why, sources)")
	case (r.Check == nil) != (len(r.Kinds) == 0):
		// Only the runner's own rules (suppression problems) have neither.
		panic("rules: " + r.ID + " needs both a check and the file kinds it runs on")
	}
}
