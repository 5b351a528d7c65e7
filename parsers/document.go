// Package parsers holds what every parser shares: the Document a file is read
// into, byte Spans into it, line/column Positions, file-kind detection, and the
// Error type that names path:line:col.
package parsers

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Span is a half-open range [Start, End) of byte offsets into a Document.
type Span struct{ Start, End int }

// Len is the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }

// Contains reports whether offset lies inside the span.
func (s Span) Contains(off int) bool { return off >= s.Start && off < s.End }

// Overlaps reports whether two spans share at least one byte, or are both
// empty insertions at the same offset (two insertions at one point have no
// defined order, so they conflict).
func (s Span) Overlaps(o Span) bool {
	if s.Len() == 0 && o.Len() == 0 {
		return s.Start == o.Start
	}
	return s.Start < o.End && o.Start < s.End
}

// Position is a 1-based line and column; the column counts bytes, as gcc,
// go vet and ruff do, so editors jump to the right place in ASCII and UTF-8.
type Position struct{ Line, Column int }

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Kind is the kind of deployment file a Document holds.
type Kind int

const (
	KindUnknown Kind = iota
	KindDockerfile
	KindNginx
	KindCompose
	KindPython // a Django settings module (or a module it imports)
	KindRequirements
	// KindPythonApp is a module of a Django app that shapes its queries:
	// models, serializers and views. Parsed like settings, plus its classes
	// and functions.
	KindPythonApp
	// KindShell is an entrypoint or start script that starts an app server
	// or worker (`exec gunicorn ...`).
	KindShell
	// KindEnv is a dotenv file: compose's .env (interpolation) or a file a
	// service's env_file names.
	KindEnv
)

var kindNames = [...]string{"unknown", "dockerfile", "nginx", "compose", "python", "requirements", "python-app", "shell", "env"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Document is one file's bytes with a line index. Parsers never copy or
// normalise Src: every span they report points into it, so edits land on the
// author's own bytes (CRLF, tabs, BOM and all).
type Document struct {
	Path  string // slash-separated, relative to the lint root where possible
	Kind  Kind
	Src   []byte
	lines []int // byte offset of the start of each line
	// pins, on a document Pinned made, are all it still knows: the
	// positions of some offsets and the text of some spans.
	pins *pins
}

type pins struct {
	pos  map[int]Position
	text map[Span]string
}

// Pinned returns a document with d's path and kind that keeps nothing of
// d's source but the positions of offsets and the text of spans, so what
// refers to it no longer holds the file. Position and Text answer for
// those only, and panic for any other offset or span; Src is nil.
func (d *Document) Pinned(offsets []int, spans []Span) *Document {
	p := &pins{pos: make(map[int]Position, len(offsets)), text: make(map[Span]string, len(spans))}
	for _, off := range offsets {
		p.pos[off] = d.Position(off)
	}
	for _, s := range spans {
		p.text[s] = d.Text(s)
	}
	return &Document{Path: d.Path, Kind: d.Kind, pins: p}
}

// NewDocument indexes src's lines as the file's own tool counts them: at
// each \n, and for YAML and Python (whose specifications count \r\n, \n
// and a lone \r as line breaks) at a lone \r too. BuildKit, nginx and the
// shell break lines only at \n.
func NewDocument(path string, kind Kind, src []byte) *Document {
	cr := kind == KindCompose || kind == KindPython || kind == KindPythonApp
	breaks := bytes.Count(src, []byte{'\n'})
	if cr {
		breaks += bytes.Count(src, []byte{'\r'}) // an upper bound: \r\n counts twice
	}
	d := &Document{Path: path, Kind: kind, Src: src, lines: make([]int, 1, 1+breaks)}
	for i, b := range src {
		if b == '\n' || cr && b == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			d.lines = append(d.lines, i+1)
		}
	}
	return d
}

// Position converts a byte offset to a 1-based line and column. Offsets past
// the end clamp to the end.
func (d *Document) Position(off int) Position {
	if d.pins != nil {
		pos, ok := d.pins.pos[off]
		if !ok {
			panic(fmt.Sprintf("%s: position of offset %d, not pinned", d.Path, off))
		}
		return pos
	}
	if off < 0 {
		off = 0
	}
	if off > len(d.Src) {
		off = len(d.Src)
	}
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	return Position{Line: i + 1, Column: off - d.lines[i] + 1}
}

// Offset converts a 1-based line and column back to a byte offset.
func (d *Document) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(d.lines) {
		return len(d.Src)
	}
	off := d.lines[line-1] + col - 1
	if off > len(d.Src) {
		off = len(d.Src)
	}
	return off
}

// LineCount is the number of lines (a final line without newline counts).
func (d *Document) LineCount() int { return len(d.lines) }

// LineSpan is the span of a 1-based line, without its line terminator.
func (d *Document) LineSpan(line int) Span {
	start := d.Offset(line, 1)
	end := len(d.Src)
	if line < len(d.lines) {
		end = d.lines[line] - 1
		if d.Src[end] == '\r' {
			return Span{start, end} // a lone \r ended the line
		}
	}
	if end > start && d.Src[end-1] == '\r' {
		end--
	}
	return Span{start, end}
}

// Text returns the bytes a span covers.
func (d *Document) Text(s Span) string {
	if d.pins != nil {
		t, ok := d.pins.text[s]
		if !ok {
			panic(fmt.Sprintf("%s: text of span %v, not pinned", d.Path, s))
		}
		return t
	}
	return string(d.Src[s.Start:s.End])
}

// Newline is the line terminator the file uses ("\r\n" when its first line
// ends so, "\r" when it ends in a lone \r that ends a line, else "\n"),
// for edits that add lines.
func (d *Document) Newline() string {
	if len(d.lines) > 1 {
		if e := d.lines[1]; d.Src[e-1] == '\r' {
			return "\r"
		}
	}
	if i := bytes.IndexByte(d.Src, '\n'); i > 0 && d.Src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// Indentation returns the leading spaces and tabs of the line holding off.
func (d *Document) Indentation(off int) string {
	start := d.Offset(d.Position(off).Line, 1)
	end := start
	for end < len(d.Src) && (d.Src[end] == ' ' || d.Src[end] == '\t') {
		end++
	}
	return string(d.Src[start:end])
}

// Error is a problem with one input file, located at path:line:col.
type Error struct {
	Path string
	Pos  Position
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", ShowPath(e.Path), e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", ShowPath(e.Path), e.Pos.Line, e.Pos.Column, e.Msg)
}

// MaxNesting bounds how deeply blocks, brackets and collections may nest
// in any file headroom reads. Real deployment files nest a few levels;
// nginx, Python and YAML configurations past this are written to exhaust a
// parser, whose recursive walks would otherwise exhaust the stack.
const MaxNesting = 200

// NestingError is the error for a file that nests deeper than limit
// (MaxNesting, or a parser's own bound on its syntax tree), at the offset
// where it does.
func (d *Document) NestingError(off, limit int) *Error {
	return d.Errorf(off, "nesting deeper than %d", limit)
}

// Errorf builds an Error at a byte offset of d.
func (d *Document) Errorf(off int, format string, args ...any) *Error {
	return &Error{Path: d.Path, Pos: d.Position(off), Msg: fmt.Sprintf(format, args...)}
}

// CheckText rejects content no deployment file can hold: NUL bytes, and
// invalid UTF-8 where the file's own tool refuses it. BuildKit and nginx
// read bytes (a Latin-1 byte in a comment is fine to them), and Python
// reads a module in the single-byte encoding its PEP 263 line declares;
// YAML, the shell scripts and the rest must be UTF-8. Parsers call it
// first, so binary files give one clear error.
func (d *Document) CheckText() error {
	if i := bytes.IndexByte(d.Src, 0); i >= 0 {
		return d.Errorf(i, "binary content (NUL byte); not a %s file", d.Kind)
	}
	switch d.Kind {
	case KindDockerfile, KindNginx:
		return nil
	case KindPython, KindPythonApp:
		if SingleByteEncoding(d.Src) {
			return nil
		}
	}
	if !utf8.Valid(d.Src) {
		off := 0
		for off < len(d.Src) {
			r, n := utf8.DecodeRune(d.Src[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return d.Errorf(off, "invalid UTF-8")
	}
	return nil
}

// pep263 is a Python source encoding declaration (PEP 263).
var pep263 = regexp.MustCompile(`^[ \t\f]*#.*?coding[:=][ \t]*([-_.a-zA-Z0-9]+)`)

// singleByte are the ASCII-compatible single-byte codecs Python knows
// under these names (after lower-casing and '_' to '-').
var singleByte = regexp.MustCompile(`^(latin-?1|l1|iso-?8859-\d+|iso8859-\d+|cp-?12[5]\d|windows-12[5]\d|cp819|cp437|cp850|koi8-[ru]|mac-?roman|ascii|us-ascii)$`)

// SingleByteEncoding reports whether a Python module declares, on its
// first or second line, an ASCII-compatible single-byte encoding such as
// latin-1: every byte is then one character, and bytes past ASCII can
// only sit in string literals, comments and names.
func SingleByteEncoding(src []byte) bool {
	for i, line := range bytes.SplitN(src, []byte("\n"), 3) {
		if i == 2 {
			break
		}
		line, _, _ = bytes.Cut(line, []byte("\r"))
		if m := pep263.FindSubmatch(line); m != nil {
			name := strings.ReplaceAll(strings.ToLower(string(m[1])), "_", "-")
			return singleByte.MatchString(name)
		}
	}
	return false
}

// ShowPath is a path as text output prints it: as it is, or, when it holds
// a control character (a newline in a folder name would start a line of
// its own), quoted with Go's escapes, as %q does.
func ShowPath(p string) string {
	for _, r := range p {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return strconv.Quote(p)
		}
	}
	return p
}
