package edit

import (
	"fmt"
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
		FromFile: gitQuote("a/" + strings.TrimPrefix(path, "/")),
		ToFile:   gitQuote("b/" + strings.TrimPrefix(path, "/")),
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

// gitQuote quotes a diff header's name as git does when it holds a control
// character, a double quote or a backslash: in double quotes with C
// escapes (octal for the bytes without a letter), which git apply and
// patch read back. Other names are as they are.
func gitQuote(name string) string {
	needs := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			needs = true
			break
		}
	}
	if !needs {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
