package edit

import (
	"math/rand"
	"testing"
)

// TestApplyRejectsOverlap: for random edit sets holding at least one pair
// that overlaps (shared bytes, or two insertions at one offset), Apply
// refuses the set whole and Validate names the pair.
func TestApplyRejectsOverlap(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for iter := 0; iter < 5000; iter++ {
		src := make([]byte, 1+rng.Intn(40))
		for i := range src {
			src[i] = "ab\n\r\t #"[rng.Intn(7)]
		}
		// Some valid edits, then one that overlaps a random one of them.
		var es []TextEdit
		pos := 0
		for pos < len(src) && (len(es) == 0 || rng.Intn(3) != 0) {
			start := pos + rng.Intn(len(src)-pos)
			end := start + rng.Intn(len(src)-start+1)
			es = append(es, edit(start, end, "x"))
			pos = end + 1
		}
		o := es[rng.Intn(len(es))]
		var bad TextEdit
		if o.Span.Len() == 0 {
			bad = edit(o.Span.Start, o.Span.Start, "y") // same insertion point
			if rng.Intn(2) == 0 && o.Span.Start > 0 && o.Span.Start < len(src) {
				bad = edit(o.Span.Start-1, o.Span.Start+1, "y") // covers it
			}
		} else {
			// Any span sharing at least one byte with o.
			in := o.Span.Start + rng.Intn(o.Span.Len())
			start := rng.Intn(in + 1)
			end := in + 1 + rng.Intn(len(src)-in)
			bad = edit(start, end, "y")
		}
		es = append(es, bad)
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		if out, err := Apply(src, es); err == nil {
			t.Fatalf("Apply(%q, %v) accepted overlapping edits: %q", src, es, out)
		}
	}
}
