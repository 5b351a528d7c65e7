// Package fixers applies the byte edits rules propose: it validates them
// (in bounds, no overlaps), merges whole fixes, re-parses what it changed,
// re-lints to a fixed point, renders unified diffs, and writes files
// atomically. It also holds the format-aware edit builders rules call.
package fixers

import (
	"fmt"
	"sort"

	"github.com/headroom-dev/headroom/rules"
)

// Apply returns src with edits applied. Edits refer to offsets in src; they
// must be in bounds and must not overlap (two insertions at one offset
// overlap: their order would be a guess).
func Apply(src []byte, edits []rules.TextEdit) ([]byte, error) {
	if err := Validate(len(src), edits); err != nil {
		return nil, err
	}
	sorted := append([]rules.TextEdit(nil), edits...)
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
func Validate(size int, edits []rules.TextEdit) error {
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

// conflicts reports whether any edit of fix overlaps an accepted edit of the
// same file.
func conflicts(fix rules.Fix, accepted map[string][]rules.TextEdit) bool {
	for _, e := range fix.Edits {
		for _, a := range accepted[e.Path] {
			if e.Span.Overlaps(a.Span) {
				return true
			}
		}
	}
	return false
}

// internalConflict reports whether a fix's own edits overlap one another or
// leave their file's bounds.
func internalConflict(fix rules.Fix, size func(string) int) error {
	byPath := map[string][]rules.TextEdit{}
	for _, e := range fix.Edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for p, es := range byPath {
		n := size(p)
		if n < 0 {
			return fmt.Errorf("edit of %s, a file not in the stack", p)
		}
		if err := Validate(n, es); err != nil {
			return err
		}
	}
	return nil
}
