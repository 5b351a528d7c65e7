// Package scaling holds the rules on scaling a compose deployment out:
// web services that cannot be replicated (HR601), Celery queues without a
// worker service of their own (HR602), and one Redis for everything with
// no failover (HR603).
package scaling

import (
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
)

// block is the text of one service in a compose file: its key line, every
// line indented deeper, and no trailing blank or comment lines.
type block struct {
	Start, End int    // End is past the last line's terminator
	KeyIndent  string // the service key's indentation
	Indent     string // the indentation of the service's own keys
	Blank      bool   // a blank line separates it from the next service
}

// serviceBlock finds the lines of svc.
func serviceBlock(doc *parsers.Document, svc *compose.Service) (block, bool) {
	line := doc.Position(svc.NameSpan.Start).Line
	b := block{Start: doc.Offset(line, 1), KeyIndent: doc.Indentation(svc.NameSpan.Start)}
	last := line
	for l := line + 1; l <= doc.LineCount(); l++ {
		text := doc.Text(doc.LineSpan(l))
		trimmed := strings.TrimLeft(text, " \t")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		ind := text[:len(text)-len(trimmed)]
		if len(ind) <= len(b.KeyIndent) {
			b.Blank = strings.TrimSpace(doc.Text(doc.LineSpan(l-1))) == ""
			break
		}
		if b.Indent == "" {
			b.Indent = ind
		}
		last = l
	}
	if b.Indent == "" || svc.Node.Anchor != "" {
		return b, false // a flow mapping, or one other services merge from
	}
	b.End = doc.LineSpan(last).End
	if b.End < len(doc.Src) && doc.Src[b.End] == '\r' {
		b.End++
	}
	if b.End < len(doc.Src) {
		b.End++ // the '\n'
	}
	return b, true
}

// unit is the file's indentation step for one more level.
func (b block) unit() string { return strings.TrimPrefix(b.Indent, b.KeyIndent) }

// text renders the block's source with edits inside it applied.
func (b block) text(doc *parsers.Document, edits []edit.TextEdit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].Span.Start > edits[j].Span.Start })
	src := string(doc.Src[b.Start:b.End])
	for _, e := range edits {
		if e.Span.Start < b.Start || e.Span.End > b.End {
			continue
		}
		src = src[:e.Span.Start-b.Start] + e.New + src[e.Span.End-b.Start:]
	}
	if !strings.HasSuffix(src, "\n") {
		src += doc.Newline()
	}
	return src
}

// lineOf is the span of the whole line holding off, terminator included.
func lineOf(doc *parsers.Document, off int) parsers.Span {
	ls := doc.LineSpan(doc.Position(off).Line)
	end := ls.End
	for end < len(doc.Src) && (doc.Src[end] == '\r' || doc.Src[end] == '\n') {
		end++
		if doc.Src[end-1] == '\n' {
			break
		}
	}
	return parsers.Span{Start: ls.Start, End: end}
}

// keyLine returns the span of the line of a key of the service mapping.
func keyLine(doc *parsers.Document, f *compose.File, svc *compose.Service, key string) (parsers.Span, bool) {
	n := svc.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return lineOf(doc, f.Span(n.Content[i]).Start), true
		}
	}
	return parsers.Span{}, false
}

// keySpan is the span of a service's key as written, without the colon
// the compose parser's span of a plain key runs on to.
func keySpan(doc *parsers.Document, svc *compose.Service) parsers.Span {
	start := svc.NameSpan.Start
	if start < len(doc.Src) && (doc.Src[start] == '"' || doc.Src[start] == '\'') {
		q := doc.Src[start]
		for i := start + 1; i < len(doc.Src); i++ {
			if doc.Src[i] == q {
				return parsers.Span{Start: start, End: i + 1}
			}
		}
	}
	return parsers.Span{Start: start, End: start + len(svc.Name)}
}
