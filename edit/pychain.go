package edit

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
)

// PyCall is a method call a fix adds to a chain: `.Method(Args...)`, each
// argument as Python source.
type PyCall struct {
	Method string
	Args   []string
}

// PythonChainInsert adds calls to a method chain right after link `after`
// (an index into ch.Links; -1 only for a chain with no links, after its
// root), laid out as the chain is: a chain broken before its dots
// (`\n    .filter(...)`) gets a line per call at the same indentation; a
// chain whose calls put their arguments on lines of their own
// (`).select_related(\n    'a'\n)`) gets its arguments laid out the same
// way, trailing comma as the author writes it; a one-line chain stays on
// one line.
func PythonChainInsert(doc *parsers.Document, ch *python.Chain, after int, calls ...PyCall) TextEdit {
	at := ch.Span.End
	if after >= 0 && after < len(ch.Links) {
		at = linkEnd(ch.Links[after])
	}
	lead := ""
	for _, l := range ch.Links {
		if l.Dot >= 0 && startsLine(doc, l.Dot) {
			lead = doc.Newline() + doc.Indentation(l.Dot)
		}
	}
	if lead != "" {
		at = endOfLine(doc, at) // after a comment ending the line
	}
	var sb strings.Builder
	for _, c := range calls {
		sb.WriteString(lead + "." + c.Method + "(" + argLayout(doc, ch, c.Args) + ")")
	}
	return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: sb.String()}
}

// linkEnd is the offset just past a link: its call's ")" or its name.
func linkEnd(l *python.Link) int {
	if l.Call != nil {
		return l.Call.Close + 1
	}
	return l.NameSpan.End
}

// startsLine reports whether only whitespace precedes off on its line.
func startsLine(doc *parsers.Document, off int) bool {
	lineStart := doc.Offset(doc.Position(off).Line, 1)
	return strings.TrimLeft(string(doc.Src[lineStart:off]), " \t") == ""
}

// argLayout writes args as the chain's calls write theirs: one per line
// when some call of the chain puts its arguments on lines of their own.
func argLayout(doc *parsers.Document, ch *python.Chain, args []string) string {
	for _, l := range ch.Links {
		c := l.Call
		if c == nil || len(c.Args) == 0 || doc.Position(c.Args[0].Span.Start).Line == doc.Position(c.Open).Line {
			continue
		}
		nl := doc.Newline()
		argIndent := doc.Indentation(c.Args[0].Span.Start)
		s := nl + argIndent + strings.Join(args, ","+nl+argIndent)
		if strings.HasSuffix(doc.Text(c.Args[len(c.Args)-1].Span), ",") {
			s += ","
		}
		return s + nl + doc.Indentation(c.Close)
	}
	return strings.Join(args, ", ")
}

// PythonAppendArgs adds positional arguments at the end of a call like its
// others: on lines of their own with the last argument's indentation when
// the call is laid out one argument per line (with or without a trailing
// comma), else on the same line.
func PythonAppendArgs(doc *parsers.Document, c *python.Call, args ...string) []TextEdit {
	ins := func(at int, s string) TextEdit {
		return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: s}
	}
	if len(c.Args) == 0 {
		return []TextEdit{ins(c.Open+1, strings.Join(args, ", "))}
	}
	last := c.Args[len(c.Args)-1]
	trailing := strings.HasSuffix(doc.Text(last.Span), ",")
	multiline := doc.Position(last.Span.Start).Line != doc.Position(c.Open).Line
	if !multiline {
		if trailing {
			return []TextEdit{ins(last.Span.End, " "+strings.Join(args, ", ")+",")}
		}
		return []TextEdit{ins(last.Span.End, ", "+strings.Join(args, ", "))}
	}
	nl := doc.Newline()
	indent := siblingIndent(doc, last.Span.Start)
	var sb strings.Builder
	for i, a := range args {
		if !trailing && i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(nl + indent + a)
		if trailing {
			sb.WriteString(",")
		}
	}
	return commaThenLine(doc, last.Span.End, !trailing, sb.String())
}

// commaThenLine inserts a comma right after end (when comma is set) and
// text at the end of its line, after any comment: one edit when nothing
// lies between.
func commaThenLine(doc *parsers.Document, end int, comma bool, text string) []TextEdit {
	ins := func(at int, s string) TextEdit {
		return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: s}
	}
	at := endOfLine(doc, end)
	switch {
	case !comma:
		return []TextEdit{ins(at, text)}
	case at == end:
		return []TextEdit{ins(end, ","+text)}
	}
	return []TextEdit{ins(end, ","), ins(at, text)}
}

// PythonAppendItem adds an item at the end of a list literal like its
// items: a line of its own in a list laid out one item per line, else on
// the same line. The list must have brackets.
func PythonAppendItem(doc *parsers.Document, l *python.List, item string) []TextEdit {
	ins := func(at int, s string) TextEdit {
		return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: s}
	}
	if len(l.Items) == 0 {
		return []TextEdit{ins(l.Open+1, item)}
	}
	last := l.Items[len(l.Items)-1]
	end := last.Span.End
	if l.TrailingComma {
		end = commaAfter(doc, end)
	}
	if doc.Position(l.Open).Line == doc.Position(l.Close).Line {
		if l.TrailingComma {
			return []TextEdit{ins(end, " "+item+",")}
		}
		return []TextEdit{ins(end, ", "+item)}
	}
	line := doc.Newline() + siblingIndent(doc, last.Span.Start) + item
	if l.TrailingComma {
		return commaThenLine(doc, end, false, line+",")
	}
	return commaThenLine(doc, end, true, line)
}

// commaAfter returns the offset past the comma that follows off (skipping
// whitespace), or off when there is none.
func commaAfter(doc *parsers.Document, off int) int {
	i := off
	for i < len(doc.Src) && (doc.Src[i] == ' ' || doc.Src[i] == '\t' || doc.Src[i] == '\n' || doc.Src[i] == '\r') {
		i++
	}
	if i < len(doc.Src) && doc.Src[i] == ',' {
		return i + 1
	}
	return off
}

// PythonClassAppend adds statements at the end of a class body, each line
// indented as the body is (lines are relative to it; empty lines stay
// empty). Refused (ok false) for a body on the header's line.
func PythonClassAppend(doc *parsers.Document, c *python.Class, lines ...string) (TextEdit, bool) {
	if c.BodyInline || c.BodyEnd == 0 {
		return TextEdit{}, false
	}
	nl := doc.Newline()
	var sb strings.Builder
	at := c.BodyEnd
	if at == len(doc.Src) && (at == 0 || doc.Src[at-1] != '\n') {
		sb.WriteString(nl)
	}
	for _, l := range lines {
		if l != "" {
			sb.WriteString(c.Indent + l)
		}
		sb.WriteString(nl)
	}
	return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: sb.String()}, true
}

// ClassIndentUnit is one level of indentation inside class c: what its
// body adds to the class statement's own indentation.
func ClassIndentUnit(doc *parsers.Document, c *python.Class) string {
	return indentUnit(doc, doc.Indentation(c.NameSpan.Start), c.Indent)
}
