package driver

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// extent returns the last line of the instruction that starts on line: a
// Dockerfile instruction continued with `\` or a JSON array spanning
// lines, a Python statement whose brackets span lines, an nginx block, a
// compose key with its more indented lines. A suppression written above
// such an instruction covers all of it, as hadolint's comment above a RUN
// does.
func extent(doc *parsers.Document, line int) int {
	n := doc.LineCount()
	if line < 1 || line > n {
		return line
	}
	first := lineText(doc, line)
	if strings.TrimSpace(first) == "" || strings.HasPrefix(strings.TrimSpace(first), "#") {
		return line
	}
	depth := 0
	last := line
	for l := line; l <= n; l++ {
		text := lineText(doc, l)
		if l > line && depth <= 0 && !continued(lineText(doc, l-1)) {
			break
		}
		depth += bracketDepth(text)
		last = l
	}
	if doc.Kind == parsers.KindCompose {
		indent := indentOf(first)
		for l := last + 1; l <= n; l++ {
			text := lineText(doc, l)
			if strings.TrimSpace(text) == "" {
				continue
			}
			if indentOf(text) <= indent {
				break
			}
			last = l
		}
	}
	return last
}

func lineText(doc *parsers.Document, line int) string {
	return strings.TrimRight(doc.Text(doc.LineSpan(line)), "\r\n")
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// continued says a line ends with a backslash continuation (outside a
// comment).
func continued(text string) bool {
	code := strings.TrimRight(stripComment(text), " \t")
	return strings.HasSuffix(code, `\`)
}

// bracketDepth is the change in bracket depth over a line, quotes and
// comments left out.
func bracketDepth(text string) int {
	d := 0
	for _, r := range stripComment(text) {
		switch r {
		case '(', '[', '{':
			d++
		case ')', ']', '}':
			d--
		}
	}
	return d
}

// stripComment removes a # comment and the contents of quoted strings from
// a line.
func stripComment(text string) string {
	var b strings.Builder
	var quote rune
	escaped := false
	for _, r := range text {
		switch {
		case escaped:
			escaped = false
			continue
		case r == '\\':
			escaped = true
			if quote == 0 {
				b.WriteRune(r)
			}
			continue
		case quote != 0:
			if r == quote {
				quote = 0
			}
			continue
		case r == '"' || r == '\'':
			quote = r
			continue
		case r == '#':
			return b.String()
		}
		b.WriteRune(r)
	}
	return b.String()
}
