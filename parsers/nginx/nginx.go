// Package nginx parses nginx configuration with gonginx and gives every
// directive, argument and block byte spans into the original text.
//
// gonginx validates the file and decides its structure; it records only a
// line per directive, so a span locator (scan.go) finds each directive's
// bytes and Parse checks that both agree directive for directive. `include`
// directives are recorded, not followed.
package nginx

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/headroom-dev/headroom/parsers"
)

// File is a parsed nginx configuration file: a whole nginx.conf or a conf.d
// snippet (server and upstream blocks at the top level).
type File struct {
	Doc  *parsers.Document
	Root *Block // the file's top level; Open is -1, Close is len(Src)
	// IncludedBy are the include directives of other files of the stack
	// that pull this one in (set by the stack): the first is where the
	// file's top level inherits from.
	IncludedBy []*Directive
}

// Block is the body of a block directive.
type Block struct {
	Open, Close int // offsets of `{` and `}`
	Directives  []*Directive
	Owner       *Directive // nil for the file's top level
	File        *File      // the file the block is written in
}

// Directive is one directive, simple or block.
type Directive struct {
	Name     string
	NameSpan parsers.Span
	Args     []Arg
	// Span runs from the name through the terminating `;`, or through the
	// block's `}`.
	Span   parsers.Span
	Block  *Block // nil for a simple directive
	Parent *Block // the block the directive is in
	// Included are the files of the stack an include directive names, in
	// the order nginx reads them (set by the stack; nil when none is in
	// view).
	Included []*File
}

// Doc is the file the directive is written in.
func (d *Directive) Doc() *parsers.Document {
	if d.Parent == nil || d.Parent.File == nil {
		return nil
	}
	return d.Parent.File.Doc
}

// Arg is one argument of a directive.
type Arg struct {
	Value string       // as nginx reads it: quotes removed, `\"` unescaped
	Raw   string       // as written, quotes included
	Span  parsers.Span // the token as written, quotes included
	Quote byte         // '"', '\'' or 0
}

// utf8BOM is skipped before parsing; nginx itself does not accept one, but
// editors add it and it says nothing about the configuration.
const utf8BOM = "\xef\xbb\xbf"

// Parse parses doc. A file gonginx rejects, or one whose structure is
// invalid (unbalanced braces, an unterminated quote, a missing `;`), gives a
// *parsers.Error naming line and column.
func Parse(doc *parsers.Document) (*File, error) {
	if err := doc.CheckText(); err != nil {
		return nil, err
	}
	start := 0
	if strings.HasPrefix(string(doc.Src), utf8BOM) {
		start = len(utf8BOM)
	}
	src := placeholderLines(parsers.MaskTemplates(doc.Src))
	s := &scanner{doc: doc, src: src, pos: start}
	root := &Block{Open: -1, Close: len(doc.Src)}
	s.block(root, nil)
	if s.err != nil {
		// The locator's own errors carry exact offsets; prefer them. It
		// also bounds nesting, which gonginx's recursive parser does not.
		return nil, s.err
	}
	cfg, gerr := gonginxParse(string(src[start:]))
	if gerr != nil {
		return nil, convertError(doc, start, root, gerr)
	}
	if err := match(doc, root.Directives, cfg.GetDirectives()); err != nil {
		return nil, err
	}
	f := &File{Doc: doc, Root: root}
	var own func(b *Block)
	own = func(b *Block) {
		b.File = f
		for _, d := range b.Directives {
			if d.Block != nil {
				own(d.Block)
			}
		}
	}
	own(root)
	return f, nil
}

// gonginxParse runs gonginx, turning a panic on hostile input into an error.
// Directive names are not checked against nginx.org's list: third-party
// modules (brotli, headers-more, lua) are common in production images and
// `nginx -t` is the authority on names.
func gonginxParse(src string) (cfg *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			cfg, err = nil, fmt.Errorf("gonginx: %v", r)
		}
	}()
	return parser.NewStringParser(src, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments()).Parse()
}

var gonginxPos = regexp.MustCompile(`\s*(?:on|starting at) line (\d+), column (\d+)`)

// convertError turns a gonginx error into a *parsers.Error. gonginx's
// columns count runes and are 0-based on the first line and 1-based after
// it; errors without a position are located on the offending directive.
func convertError(doc *parsers.Document, start int, root *Block, err error) error {
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	if m := gonginxPos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		off := doc.Offset(line, 1)
		if line == 1 {
			off = start
		} else {
			col--
		}
		for ; col > 0 && off < len(doc.Src); col-- {
			_, n := utf8.DecodeRune(doc.Src[off:])
			off += n
		}
		return doc.Errorf(off, "%s", strings.TrimSpace(gonginxPos.ReplaceAllString(msg, "")))
	}
	if d := offending(root); d != nil {
		return doc.Errorf(d.NameSpan.Start, "%s", msg)
	}
	return &parsers.Error{Path: doc.Path, Msg: msg}
}

// offending finds the directive gonginx's wrappers reject for its shape
// (they report no position).
func offending(b *Block) *Directive {
	for _, d := range b.Directives {
		bad := false
		switch d.Name {
		case "http", "server":
			bad = d.Block == nil && d.Name == "http"
		case "location":
			bad = len(d.Args) == 0 || len(d.Args) > 2
		case "upstream":
			bad = len(d.Args) == 0 || d.Block == nil
		case "include":
			bad = len(d.Args) != 1 || d.Block != nil
		}
		if strings.HasSuffix(d.Name, "_by_lua_block") && d.Block == nil {
			bad = true
		}
		if bad {
			return d
		}
		if d.Block != nil {
			if o := offending(d.Block); o != nil {
				return o
			}
		}
	}
	return nil
}

// match checks that the located directives are, block for block, the ones
// gonginx parsed. gonginx reorders some blocks (http lists its servers
// last, upstream its servers last), so each located directive takes the
// first unclaimed gonginx directive that is the same.
func match(doc *parsers.Document, located []*Directive, parsed []config.IDirective) error {
	used := make([]bool, len(parsed))
	for _, d := range located {
		found := -1
		for i, g := range parsed {
			if !used[i] && same(d, g) {
				found = i
				break
			}
		}
		if found < 0 {
			return doc.Errorf(d.NameSpan.Start, "cannot place directive %q: gonginx parsed this block differently", d.Name)
		}
		used[found] = true
		g := parsed[found]
		if _, lua := g.(*config.LuaBlock); lua || d.Block == nil {
			continue
		}
		gb := g.GetBlock()
		if gb == nil {
			return doc.Errorf(d.NameSpan.Start, "cannot place block %q: gonginx parsed it as a simple directive", d.Name)
		}
		if err := match(doc, d.Block.Directives, gb.GetDirectives()); err != nil {
			return err
		}
	}
	for i, u := range used {
		if !u {
			return doc.Errorf(0, "gonginx parsed a directive %q the span locator did not find", parsed[i].GetName())
		}
	}
	return nil
}

func same(d *Directive, g config.IDirective) bool {
	if d.Name != g.GetName() || (d.Block != nil) != (g.GetBlock() != nil) {
		return false
	}
	switch g := g.(type) {
	case *config.UpstreamServer:
		// gonginx rewrites an upstream server's options into sorted order.
		return len(d.Args) > 0 && d.Args[0].Raw == g.Address
	case *config.HTTP, *config.Server, *config.LuaBlock:
		return true
	}
	params := g.GetParameters()
	if len(params) != len(d.Args) {
		return false
	}
	for i, p := range params {
		if p.Value != d.Args[i].Raw {
			return false
		}
	}
	return true
}

// Arg returns the value of the i'th argument, or "".
func (d *Directive) Arg(i int) string {
	if i < 0 || i >= len(d.Args) {
		return ""
	}
	return d.Args[i].Value
}

// Values returns every argument's value.
func (d *Directive) Values() []string {
	out := make([]string, len(d.Args))
	for i, a := range d.Args {
		out[i] = a.Value
	}
	return out
}

// HeadSpan covers the name and arguments, without the block or `;`: where a
// finding about the directive points.
func (d *Directive) HeadSpan() parsers.Span {
	end := d.NameSpan.End
	if len(d.Args) > 0 {
		end = d.Args[len(d.Args)-1].Span.End
	}
	return parsers.Span{Start: d.NameSpan.Start, End: end}
}

// Outer is the block directive this one is inside, or nil at the top level.
func (d *Directive) Outer() *Directive {
	if d.Parent == nil {
		return nil
	}
	return d.Parent.Owner
}

// Enclosing returns the nearest enclosing directive named name, or nil.
func (d *Directive) Enclosing(name string) *Directive {
	for o := d.Outer(); o != nil; o = o.Outer() {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func (d *Directive) String() string {
	if len(d.Args) == 0 {
		return d.Name
	}
	return d.Name + " " + strings.Join(d.Values(), " ")
}

// placeholderLine is a line that is only an envsubst placeholder, standing
// for whole directives or blocks filled in when the container starts
// (`${NGINX_EVENTS_BLOCK}` in the official image's templates).
var placeholderLine = regexp.MustCompile(`(?m)^[ \t]*\$\{[A-Za-z_][A-Za-z0-9_]*\}[ \t]*\r?$`)

// placeholderLines returns src with each placeholder line read as a
// comment (its `$` turned into `#`, so every offset stays where it is):
// what it stands for is unknown until start-up, and the rest of the file
// is still read. src itself is never changed.
func placeholderLines(src []byte) []byte {
	if !bytes.Contains(src, []byte("${")) {
		return src
	}
	locs := placeholderLine.FindAllIndex(src, -1)
	if len(locs) == 0 {
		return src
	}
	out := append([]byte(nil), src...)
	for _, l := range locs {
		if i := bytes.IndexByte(out[l[0]:l[1]], '$'); i >= 0 {
			out[l[0]+i] = '#'
		}
	}
	return out
}
