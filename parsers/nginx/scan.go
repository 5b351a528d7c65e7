package nginx

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// The span locator. gonginx decides what the file means; this scanner only
// finds where each directive gonginx saw is written. It splits tokens exactly
// where gonginx's lexer does (quotes, `#` comments, `${var}` references,
// `*_by_lua_block` bodies), builds the directive nesting with offsets, and
// Parse then checks the result against gonginx's tree, so the two can never
// silently disagree.

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokQuoted
	tokOpen
	tokClose
	tokSemi
	tokComment
	tokLua // the body of a *_by_lua_block, up to (not including) its `}`
)

type token struct {
	kind       tokKind
	start, end int
}

type scanner struct {
	doc  *parsers.Document
	src  []byte
	pos  int
	prev token // the last non-comment token, to spot lua blocks
	err  *parsers.Error
	// depth is how many blocks enclose the current one.
	depth int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isQuote(c byte) bool { return c == '"' || c == '\'' || c == '`' }

func (s *scanner) next() token {
	for s.pos < len(s.src) && isSpace(s.src[s.pos]) {
		s.pos++
	}
	start := s.pos
	if s.pos >= len(s.src) {
		return token{kind: tokEOF, start: start, end: start}
	}
	c := s.src[s.pos]
	var t token
	switch {
	case c == ';':
		s.pos++
		t = token{tokSemi, start, s.pos}
	case c == '{':
		s.pos++
		t = token{tokOpen, start, s.pos}
		if s.prev.kind == tokWord && strings.HasSuffix(string(s.src[s.prev.start:s.prev.end]), "_by_lua_block") {
			s.prev = t
			return t
		}
	case c == '}':
		s.pos++
		t = token{tokClose, start, s.pos}
	case c == '#':
		for s.pos < len(s.src) && s.src[s.pos] != '\n' && s.src[s.pos] != '\r' {
			s.pos++
		}
		return token{tokComment, start, s.pos}
	case isQuote(c):
		s.pos++
		for {
			if s.pos >= len(s.src) {
				s.fail(start, "unterminated quoted string")
				return token{kind: tokEOF, start: len(s.src), end: len(s.src)}
			}
			ch := s.src[s.pos]
			s.pos++
			// gonginx (like nginx) lets a backslash escape the closing quote.
			if ch == '\\' && s.pos < len(s.src) && s.src[s.pos] == c {
				s.pos++
				continue
			}
			if ch == c {
				break
			}
		}
		t = token{tokQuoted, start, s.pos}
	default:
		s.scanWord()
		t = token{tokWord, start, s.pos}
	}
	s.prev = t
	return t
}

// scanWord consumes an unquoted word the way gonginx's scanKeyword does: it
// ends at whitespace, `;`, or a brace, except the braces of a `${var}`.
func (s *scanner) scanWord() {
	prev := s.src[s.pos]
	s.pos++
	inVar := false
	for s.pos < len(s.src) {
		ch := s.src[s.pos]
		if isSpace(ch) || ch == ';' {
			return
		}
		switch {
		case ch == '{' && prev == '$':
			inVar = true
			s.pos++
		case ch == '{' && !inVar:
			return
		case ch == '}' && inVar:
			inVar = false
			s.pos++
		case ch == '}':
			return
		default:
			prev = ch
			s.pos++
		}
	}
}

// luaBody skips a lua block's code the way gonginx's scanLuaCode does:
// braces nest, `#` comments run to the end of the line. It stops before the
// closing `}`.
func (s *scanner) luaBody(open int) bool {
	depth := 0
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' && s.src[s.pos] != '\r' {
				s.pos++
			}
			continue
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return true
			}
			depth--
		}
		s.pos++
	}
	s.fail(open, "lua block is never closed (unexpected end of file)")
	return false
}

func (s *scanner) fail(off int, format string, args ...any) {
	if s.err == nil {
		s.err = s.doc.Errorf(off, format, args...)
	}
}

// significant returns the next token that is not a comment.
func (s *scanner) significant() token {
	for {
		t := s.next()
		if t.kind != tokComment {
			return t
		}
	}
}

func (s *scanner) text(t token) string { return string(s.src[t.start:t.end]) }

// block reads directives until the closing `}` of owner's block (or EOF at
// the top level) and returns them; close is the offset of that `}`.
func (s *scanner) block(b *Block, owner *Directive) {
	for s.err == nil {
		t := s.significant()
		switch t.kind {
		case tokEOF:
			if owner != nil && s.err == nil {
				s.fail(b.Open, "%q block is never closed (unexpected end of file)", owner.Name)
			}
			return
		case tokClose:
			if owner == nil {
				s.fail(t.start, `unexpected "}"`)
				return
			}
			b.Close = t.start
			return
		case tokSemi:
			s.fail(t.start, `unexpected ";"`)
			return
		case tokOpen:
			s.fail(t.start, `unexpected "{" (a block needs a directive name)`)
			return
		case tokWord, tokQuoted:
			d := &Directive{Name: s.text(t), NameSpan: parsers.Span{Start: t.start, End: t.end}, Parent: b}
			b.Directives = append(b.Directives, d)
			s.directive(d)
		}
	}
}

func (s *scanner) directive(d *Directive) {
	for s.err == nil {
		t := s.significant()
		switch t.kind {
		case tokWord, tokQuoted:
			d.Args = append(d.Args, newArg(s.src, t))
		case tokSemi:
			d.Span = parsers.Span{Start: d.NameSpan.Start, End: t.end}
			return
		case tokOpen:
			d.Block = &Block{Open: t.start, Owner: d}
			if strings.HasSuffix(d.Name, "_by_lua_block") {
				if !s.luaBody(t.start) {
					return
				}
				d.Block.Close = s.pos
				s.pos++
				s.prev = token{tokClose, d.Block.Close, s.pos}
			} else {
				if s.depth >= parsers.MaxNesting {
					s.err = s.doc.NestingError(t.start, parsers.MaxNesting)
					return
				}
				s.depth++
				s.block(d.Block, d)
				s.depth--
				if s.err != nil {
					return
				}
			}
			d.Span = parsers.Span{Start: d.NameSpan.Start, End: d.Block.Close + 1}
			return
		case tokClose:
			s.fail(t.start, `unexpected "}": directive %q is not terminated by ";"`, d.Name)
			return
		case tokEOF:
			s.fail(d.NameSpan.Start, `directive %q is not terminated by ";" (unexpected end of file)`, d.Name)
			return
		}
	}
}

// newArg records an argument as written and its value as nginx reads it.
func newArg(src []byte, t token) Arg {
	raw := string(src[t.start:t.end])
	a := Arg{Value: raw, Raw: raw, Span: parsers.Span{Start: t.start, End: t.end}}
	if t.kind == tokQuoted && len(raw) >= 2 {
		q := raw[0]
		a.Quote = q
		inner := raw[1 : len(raw)-1]
		var b strings.Builder
		for i := 0; i < len(inner); i++ {
			if inner[i] == '\\' && i+1 < len(inner) && (inner[i+1] == q || inner[i+1] == '\\') {
				i++
			}
			b.WriteByte(inner[i])
		}
		a.Value = b.String()
	}
	return a
}
