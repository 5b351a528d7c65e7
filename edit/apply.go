package edit

import (
	"fmt"
	"sort"
)

// Apply returns src with edits applied. Edits refer to offsets in src; they
// must be in bounds and must not overlap (two insertions at one offset
// overlap: their order would be a guess).
func Apply(src []byte, edits []TextEdit) ([]byte, error) {
	if err := Validate(len(src), edits); err != nil {
		return nil, err
	}
	sorted := append([]TextEdit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Span.Start < sorted[j].Span.Start })
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Span.Start]...)
		out = append(out, e.New...)
		last = e.Span.End
	}
	return append(out, src[last:]...), nil
}

// Validate checks that every edit is in bounds of a size-byte file and that
// no two edits overlap.
func Validate(size int, edits []TextEdit) error {
	for i, e := range edits {
		if e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > size {
			return fmt.Errorf("edit %d [%d,%d) out of bounds of a %d-byte file", i, e.Span.Start, e.Span.End, size)
		}
		for _, o := range edits[:i] {
			if e.Span.Overlaps(o.Span) {
				return fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", o.Span.Start, o.Span.End, e.Span.Start, e.Span.End)
			}
		}
	}
	return nil
}
