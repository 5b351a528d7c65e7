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
		return ds
	}
	first := make(map[string]int, len(ds))
	out := ds[:0:0]
	for _, d := range ds {
		k := factKey(d)
		i, seen := first[k]
		if !seen {
			first[k] = len(out)
			d.Related = append([]rules.Location(nil), d.Related...)
			out = append(out, d)
			continue
		}
		out[i].Related = mergeRelated(out[i].Related, d.Related)
	}
	return out
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

func mergeRelated(have, more []rules.Location) []rules.Location {
	key := func(l rules.Location) string {
		p := ""
		if l.Doc != nil {
			p = l.Doc.Path
		}
		return fmt.Sprintf("%s\x00%d:%d\x00%s", p, l.Span.Start, l.Span.End, l.Message)
	}
	seen := make(map[string]bool, len(have)+len(more))
	for _, l := range have {
		seen[key(l)] = true
	}
	for _, l := range more {
		if k := key(l); !seen[k] {
			seen[k] = true
			have = append(have, l)
		}
	}
	return have
}
