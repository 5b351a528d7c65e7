package edit

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Diff renders a unified diff of one file, "--- a/path" / "+++ b/path" as
// git writes it, so `git apply` and `patch -p1` take it. Empty when equal.
func Diff(path string, before, after []byte) string {
	if string(before) == string(after) {
		return ""
	}
	d := difflib.UnifiedDiff{
		A:        splitLines(string(before)),
		B:        splitLines(string(after)),
		FromFile: "a/" + strings.TrimPrefix(path, "/"),
		ToFile:   "b/" + strings.TrimPrefix(path, "/"),
		Context:  3,
	}
	out, err := difflib.GetUnifiedDiffString(d)
	if err != nil {
		return ""
	}
	return out
}

// splitLines keeps each line's terminator, and marks a missing final
// newline the way diff(1) does, so CRLF and no-EOL files diff exactly.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] += "\n\\ No newline at end of file\n"
	}
	return lines
}
