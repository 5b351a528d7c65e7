package driver

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/rules"
)

// Dedupe merges findings that state the same fact: one rule, one place,
// one message, one severity and the same fixes. Such findings arise where
// one file is judged in several contexts (a settings module loaded by the
// web server and by each Celery worker); they become one finding whose
// related locations are the union of theirs, in first-seen order. Findings
// that differ in anything they print or fix stay apart. The order of the
// first of each group is kept.
func Dedupe(ds []rules.Diagnostic) []rules.Diagnostic {
	if len(ds) < 2 {
		return summarizeAll(ds)
	}
	first := make(map[string]int, len(ds))
	// seen holds the related locations of each merged group, kept across
	// merges: rebuilding it per merge made thousands of Celery services
	// loading one settings module quadratic.
	seen := map[int]map[string]bool{}
	out := ds[:0:0]
	for _, d := range ds {
		k := factKey(d)
		i, ok := first[k]
		if !ok {
			first[k] = len(out)
			d.Related = append([]rules.Location(nil), d.Related...)
			out = append(out, d)
			continue
		}
		if seen[i] == nil {
			seen[i] = make(map[string]bool, len(out[i].Related))
			for _, l := range out[i].Related {
				seen[i][relatedKey(l)] = true
			}
		}
		out[i].Related = mergeRelated(out[i].Related, d.Related, seen[i])
	}
	return summarizeAll(out)
}

// MaxRelated is how many related locations a finding lists; past it, the
// last one listed says how many more there are.
const MaxRelated = 20

// summarizeAll cuts each finding's related locations to MaxRelated, the
// last of them saying how many more there are.
func summarizeAll(ds []rules.Diagnostic) []rules.Diagnostic {
	for i, d := range ds {
		if n := len(d.Related); n > MaxRelated {
			r := append([]rules.Location(nil), d.Related[:MaxRelated]...)
			next := d.Related[MaxRelated]
			r = append(r, rules.Location{Doc: next.Doc, Span: next.Span, Message: fmt.Sprintf("and %d more related locations, the first of them here: %s", n-MaxRelated, next.Message)})
			ds[i].Related = r
		}
	}
	return ds
}

// factKey identifies what a finding prints and what its fixes write.
func factKey(d rules.Diagnostic) string {
	var b strings.Builder
	path := ""
	if d.Doc != nil {
		path = d.Doc.Path
	}
	fmt.Fprintf(&b, "%s\x00%s\x00%d:%d\x00%d\x00%s", d.Rule.ID, path, d.Span.Start, d.Span.End, d.Severity, d.Message)
	for _, f := range d.Fixes {
		fmt.Fprintf(&b, "\x01%s\x00%d", f.Message, f.Applicability)
		for _, e := range f.Edits {
			fmt.Fprintf(&b, "\x02%s\x00%d:%d\x00%s", e.Path, e.Span.Start, e.Span.End, e.New)
		}
	}
	return b.String()
}

func relatedKey(l rules.Location) string {
	p := ""
	if l.Doc != nil {
		p = l.Doc.Path
	}
	return fmt.Sprintf("%s\x00%d:%d\x00%s", p, l.Span.Start, l.Span.End, l.Message)
}

func mergeRelated(have, more []rules.Location, seen map[string]bool) []rules.Location {
	for _, l := range more {
		if k := relatedKey(l); !seen[k] {
			seen[k] = true
			have = append(have, l)
		}
	}
	return have
}
