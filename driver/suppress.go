package driver

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Suppressions are comments in the linted files themselves. All four
// formats use # comments, so one syntax serves them all:
//
//	# headroom: ignore[HR101] two workers is all this box can hold
//	# headroom: ignore-file[HR402,nginx-proxy-buffering] gzip is done by the CDN
//
// ignore[...] at the end of a line covers findings that start on that line;
// alone on its line it covers the next line; either way, when that line
// starts an instruction spanning several (a continued CMD, a bracketed
// Python assignment, an nginx block, a compose key), it covers all of
// them. ignore-file[...] covers the
// whole file. The reason is required, and a
// suppression that suppresses nothing is itself reported, as staticcheck
// does, so stale ones do not pile up.
var suppressionComment = regexp.MustCompile(`#\s*headroom:\s*(ignore|ignore-file)\[([^\]]*)\]([^\r\n]*)`)

// Suppression is one suppression comment.
type Suppression struct {
	Doc  *parsers.Document
	Span parsers.Span
	Line int // the line it covers
	// End is the last line it covers: that of the instruction starting on
	// Line (a multi-line CMD, Python assignment or nginx block).
	End    int
	File   bool
	Rules  []*rules.Rule
	Reason string
	used   bool
}

// The rules headroom reports about its own suppression comments. They have
// no Check: the runner reports them after every other rule.
var (
	SuppressionWithoutReason = &rules.Rule{
		ID: "HR001", Name: "suppression-without-reason", Phase: 1, Severity: rules.Warning,
		Doc: rules.Doc{
			Title:  "A suppression comment gives no reason",
			Impact: "none on capacity itself: it keeps every silenced capacity finding explained",
			Why: "A suppressed finding is a decision someone made about capacity. Without the reason, " +
				"the next reader cannot tell a deliberate limit from a silenced warning.",
			Fix:     "Write the reason after the bracket: `# headroom: ignore[HR101] 1 vCPU box, measured at 3 workers`.",
			Bad:     "# headroom: ignore[HR101]",
			Good:    "# headroom: ignore[HR101] one vCPU; load-tested at 3 workers",
			Sources: []string{"https://staticcheck.dev/docs/configuration/#ignoring-problems"},
			Since:   "0.1.0",
		},
	}
	UnusedSuppression = &rules.Rule{
		ID: "HR002", Name: "unused-suppression", Phase: 1, Severity: rules.Warning,
		Doc: rules.Doc{
			Title:  "A suppression comment suppresses nothing",
			Impact: "none on capacity itself: stale suppressions would hide the next real finding on their line",
			Why: "The finding it was written for is gone (fixed, moved, or the rule never fires there), or it " +
				"names no rule. Stale suppressions hide the next real finding on that line.",
			Fix:     "Delete the comment, or correct the rule ID or name in it.",
			Bad:     "gzip on;  # headroom: ignore[HR402] CDN compresses",
			Good:    "gzip on;",
			Sources: []string{"https://staticcheck.dev/docs/configuration/#ignoring-problems", "https://docs.astral.sh/ruff/rules/unused-noqa/"},
			Since:   "0.1.0",
		},
	}
)

func init() { rules.Register(SuppressionWithoutReason, UnusedSuppression) }

// Suppressions returns the suppression comments of a document.
func Suppressions(doc *parsers.Document) []*Suppression {
	if !bytes.Contains(doc.Src, []byte("headroom:")) {
		return nil
	}
	var out []*Suppression
	for _, m := range suppressionComment.FindAllSubmatchIndex(doc.Src, -1) {
		s := &Suppression{
			Doc:    doc,
			Span:   parsers.Span{Start: m[0], End: m[1]},
			Line:   doc.Position(m[0]).Line,
			File:   string(doc.Src[m[2]:m[3]]) == "ignore-file",
			Reason: strings.TrimSpace(string(doc.Src[m[6]:m[7]])),
		}
		if strings.TrimSpace(doc.Text(parsers.Span{Start: doc.Offset(s.Line, 1), End: m[0]})) == "" {
			s.Line++ // alone on its line: it is about the next one
		}
		s.End = max(s.Line, extent(doc, s.Line))
		for _, key := range strings.Split(string(doc.Src[m[4]:m[5]]), ",") {
			if r, ok := rules.Lookup(key); ok {
				s.Rules = append(s.Rules, r)
			} else if strings.TrimSpace(key) != "" {
				s.Rules = append(s.Rules, nil) // names no rule: reported as unused
			}
		}
		out = append(out, s)
	}
	return out
}

func (s *Suppression) covers(d *rules.Diagnostic) bool {
	if d.Doc != s.Doc {
		return false
	}
	if l := d.Pos().Line; !s.File && (l < s.Line || l > s.End) {
		return false
	}
	for _, r := range s.Rules {
		if r == d.Rule {
			return true
		}
	}
	return false
}

// suppress drops the findings a suppression covers and reports problems
// with the suppressions themselves, for the rules that ran.
func suppress(st *stack.Stack, ran []*rules.Rule, ds []rules.Diagnostic) []rules.Diagnostic {
	var sups []*Suppression
	for _, f := range st.Files {
		sups = append(sups, Suppressions(f.Doc)...)
	}
	if len(sups) == 0 {
		return ds
	}
	kept := ds[:0]
	for _, d := range ds {
		suppressed := false
		for _, s := range sups {
			if s.covers(&d) {
				s.used, suppressed = true, true
			}
		}
		if !suppressed {
			kept = append(kept, d)
		}
	}
	running := map[*rules.Rule]bool{}
	for _, r := range ran {
		running[r] = true
	}
	for _, s := range sups {
		if running[SuppressionWithoutReason] && s.Reason == "" {
			kept = append(kept, rules.Diagnostic{Rule: SuppressionWithoutReason, Severity: SuppressionWithoutReason.Severity, Doc: s.Doc, Span: s.Span,
				Message: "suppression without a reason: say why the finding does not apply here"})
		}
		if !running[UnusedSuppression] || s.used {
			continue
		}
		// Only a suppression whose every rule ran can be known unused.
		known := true
		for _, r := range s.Rules {
			known = known && (r == nil || running[r])
		}
		if known {
			kept = append(kept, rules.Diagnostic{Rule: UnusedSuppression, Severity: UnusedSuppression.Severity, Doc: s.Doc, Span: s.Span,
				Message: "suppression matches no finding" + unknownNames(s)})
		}
	}
	return kept
}

func unknownNames(s *Suppression) string {
	for _, r := range s.Rules {
		if r == nil {
			return " (it names a rule that does not exist; see `headroom rules`)"
		}
	}
	return ""
}
