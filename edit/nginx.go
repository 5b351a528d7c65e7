package edit

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/nginx"
)

// nginx edit builders. Each returns one edit that adds or changes
// directives the way the author writes them: new directives go on lines of
// their own, indented like their siblings (tabs or spaces), with the file's
// line ending; in a block written on one line they join that line.
// Directive texts are passed without indentation or newline, e.g.
// `keepalive 32;`.

// NginxInsert inserts directives into b after the last of its directives
// named one of after, or, when there is none, before the block's `}` (at the
// end of the file for the top level).
func NginxInsert(doc *parsers.Document, b *nginx.Block, after []string, lines ...string) TextEdit {
	if anchor := b.Last(after...); anchor != nil {
		return NginxInsertAfter(doc, anchor, lines...)
	}
	return NginxInsertEnd(doc, b, lines...)
}

// NginxInsertAfter inserts directives after d, on the lines following it
// (after any comment that ends d's line).
func NginxInsertAfter(doc *parsers.Document, d *nginx.Directive, lines ...string) TextEdit {
	src := doc.Src
	eol := ngxLineEnd(src, d.Span.End)
	rest := strings.TrimSpace(string(src[d.Span.End:eol]))
	if rest != "" && !strings.HasPrefix(rest, "#") {
		// More directives or the `}` follow on the same line.
		return ngxEdit(doc, d.Span.End, d.Span.End, " "+strings.Join(lines, " "))
	}
	indent := ngxSiblingIndent(doc, d.Parent)
	nl := doc.Newline()
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(nl + indent + l)
	}
	return ngxEdit(doc, eol, eol, b.String())
}

// NginxInsertBefore inserts directives before d: on lines of their own
// above it, or on its line when d does not start one.
func NginxInsertBefore(doc *parsers.Document, d *nginx.Directive, lines ...string) TextEdit {
	if !ngxStartsLine(doc.Src, d.Span.Start) {
		return ngxEdit(doc, d.Span.Start, d.Span.Start, strings.Join(lines, " ")+" ")
	}
	indent := ngxSiblingIndent(doc, d.Parent)
	return ngxEdit(doc, ngxLineStart(doc.Src, d.Span.Start), ngxLineStart(doc.Src, d.Span.Start), ngxRenderLines(indent, doc.Newline(), lines))
}

// NginxInsertEnd inserts directives as the last of block b.
func NginxInsertEnd(doc *parsers.Document, b *nginx.Block, lines ...string) TextEdit {
	src, nl := doc.Src, doc.Newline()
	if b.Owner == nil {
		prefix := ""
		if len(src) > 0 && src[len(src)-1] != '\n' {
			prefix = nl
		}
		return ngxEdit(doc, len(src), len(src), prefix+ngxRenderLines("", nl, lines))
	}
	if ngxStartsLine(src, b.Close) {
		at := ngxLineStart(src, b.Close)
		return ngxEdit(doc, at, at, ngxRenderLines(ngxSiblingIndent(doc, b), nl, lines))
	}
	if n := len(b.Directives); n > 0 {
		return NginxInsertAfter(doc, b.Directives[n-1], lines...)
	}
	// An empty one-line block, `upstream x {}`: open it up.
	outer := ngxLineIndent(src, b.Owner.Span.Start)
	return ngxEdit(doc, b.Open+1, b.Close, nl+ngxRenderLines(outer+ngxIndentUnit(doc), nl, lines)+outer)
}

// NginxReplaceArg replaces the i'th argument of d with value, keeping the
// author's quotes and quoting a value that needs it.
func NginxReplaceArg(doc *parsers.Document, d *nginx.Directive, i int, value string) TextEdit {
	a := d.Args[i]
	q := a.Quote
	if q == 0 && ngxNeedsQuotes(value) {
		q = '"'
	}
	if q != 0 {
		value = string(q) + strings.ReplaceAll(value, string(q), `\`+string(q)) + string(q)
	}
	return ngxEdit(doc, a.Span.Start, a.Span.End, value)
}

// NginxUpstream creates `upstream name { server ...; directives... }` on
// lines of their own before directive before (a server block), followed by
// a blank line, in before's indentation.
func NginxUpstream(doc *parsers.Document, before *nginx.Directive, name string, servers []string, directives ...string) TextEdit {
	body := make([]string, 0, len(servers)+len(directives))
	for _, s := range servers {
		body = append(body, "server "+s+";")
	}
	body = append(body, directives...)
	if !ngxStartsLine(doc.Src, before.Span.Start) {
		text := "upstream " + name + " { " + strings.Join(body, " ") + " } "
		return ngxEdit(doc, before.Span.Start, before.Span.Start, text)
	}
	indent := ngxLineIndent(doc.Src, before.Span.Start)
	nl := doc.Newline()
	text := indent + "upstream " + name + " {" + nl +
		ngxRenderLines(indent+ngxIndentUnit(doc), nl, body) +
		indent + "}" + nl + nl
	at := ngxLineStart(doc.Src, before.Span.Start)
	return ngxEdit(doc, at, at, text)
}

func ngxEdit(doc *parsers.Document, start, end int, text string) TextEdit {
	return TextEdit{Path: doc.Path, Span: parsers.Span{Start: start, End: end}, New: text}
}

func ngxRenderLines(indent, nl string, lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(indent + l + nl)
	}
	return b.String()
}

func ngxNeedsQuotes(v string) bool {
	return v == "" || strings.ContainsAny(v, " \t\r\n;{}#\"'")
}

// ngxLineStart is the offset of the start of off's line.
func ngxLineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}

// ngxLineEnd is the offset of off's line terminator ("\r\n" or "\n"), or the
// end of the file.
func ngxLineEnd(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' {
		off++
	}
	if off > 0 && off <= len(src) && off < len(src) && src[off-1] == '\r' {
		off--
	}
	return off
}

// ngxStartsLine reports whether only spaces and tabs precede off on its line.
func ngxStartsLine(src []byte, off int) bool {
	return strings.TrimLeft(string(src[ngxLineStart(src, off):off]), " \t") == ""
}

// ngxLineIndent is the leading whitespace of off's line.
func ngxLineIndent(src []byte, off int) string {
	start := ngxLineStart(src, off)
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// ngxSiblingIndent is the indentation of b's directives: that of the first one
// starting a line, else the owner's plus one unit.
func ngxSiblingIndent(doc *parsers.Document, b *nginx.Block) string {
	for _, d := range b.Directives {
		if ngxStartsLine(doc.Src, d.Span.Start) {
			return ngxLineIndent(doc.Src, d.Span.Start)
		}
	}
	if b.Owner == nil {
		return ""
	}
	return ngxLineIndent(doc.Src, b.Owner.Span.Start) + ngxIndentUnit(doc)
}

// ngxIndentUnit is one level of the file's indentation: the step from a block
// directive's line to its first child's, found anywhere in the file; a
// file with no nesting to learn from gets a tab if it indents with tabs,
// else four spaces.
func ngxIndentUnit(doc *parsers.Document) string {
	src := doc.Src
	f, err := nginx.Parse(doc)
	if err == nil {
		unit := ""
		f.Walk(func(d *nginx.Directive) bool {
			if unit != "" || d.Block == nil || !ngxStartsLine(src, d.Span.Start) {
				return unit == ""
			}
			outer := ngxLineIndent(src, d.Span.Start)
			for _, c := range d.Block.Directives {
				if ngxStartsLine(src, c.Span.Start) {
					inner := ngxLineIndent(src, c.Span.Start)
					if len(inner) > len(outer) && strings.HasPrefix(inner, outer) {
						unit = inner[len(outer):]
					}
					break
				}
			}
			return unit == ""
		})
		if unit != "" {
			return unit
		}
	}
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "\t") {
			return "\t"
		}
	}
	return "    "
}
