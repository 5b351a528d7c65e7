package edit

import (
	"bytes"
	"fmt"
	"sort"
)

// Apply returns src with edits applied. Edits refer to offsets in src; they
// must be in bounds and must not overlap (two insertions at one offset
// overlap: their order would be a guess). A file without a final line
// break keeps none when lines are added after its last one.
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
	out = append(out, src[last:]...)
	if n := len(sorted); n > 0 && last == len(src) && endsWithoutBreak(src) {
		// The last edit ends the file, which has no final line break: new
		// lines written after its last line (a line break, then lines
		// each ending in one) leave it without one too.
		if e := sorted[n-1].New; len(e) > 0 && (e[0] == '\n' || e[0] == '\r') {
			out = trimBreak(out)
		}
	}
	return out, nil
}

// endsWithoutBreak reports whether src has content but no final line break.
func endsWithoutBreak(src []byte) bool {
	return len(src) > 0 && src[len(src)-1] != '\n' && src[len(src)-1] != '\r'
}

// trimBreak removes one final line break (\r\n, \n or \r).
func trimBreak(b []byte) []byte {
	switch {
	case bytes.HasSuffix(b, []byte("\r\n")):
		return b[:len(b)-2]
	case bytes.HasSuffix(b, []byte("\n")), bytes.HasSuffix(b, []byte("\r")):
		return b[:len(b)-1]
	}
	return b
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
