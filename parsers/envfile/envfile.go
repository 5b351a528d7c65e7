// Package envfile reads dotenv files (compose's .env, env_file files) as
// compose does: KEY=value lines, # comments, optional `export `, single or
// double quotes, with a span for every value so a fix can change it.
package envfile

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// File is a parsed dotenv file.
type File struct {
	Doc  *parsers.Document
	Vars []Var
}

// Var is one KEY=value line.
type Var struct {
	Name      string
	Value     string       // quotes removed
	Span      parsers.Span // the whole assignment
	ValueSpan parsers.Span // the value as written, quotes included
	Quote     byte
}

// Lookup returns the last assignment of name.
func (f *File) Lookup(name string) (Var, bool) {
	for i := len(f.Vars) - 1; i >= 0; i-- {
		if f.Vars[i].Name == name {
			return f.Vars[i], true
		}
	}
	return Var{}, false
}

// Parse reads doc. Lines that are not assignments are skipped, as compose
// skips them; a dotenv file has no syntax errors worth failing a run over.
func Parse(doc *parsers.Document) (*File, error) {
	if err := doc.CheckText(); err != nil {
		return nil, err
	}
	f := &File{Doc: doc}
	for line := 1; line <= doc.LineCount(); line++ {
		ls := doc.LineSpan(line)
		text := doc.Text(ls)
		start := ls.Start + len(text) - len(strings.TrimLeft(text, " \t"))
		body := strings.TrimLeft(text, " \t")
		if body == "" || body[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(body, "export "); ok {
			start += len(body) - len(rest)
			body = rest
		}
		eq := strings.IndexByte(body, '=')
		if eq <= 0 {
			continue
		}
		name := strings.TrimSpace(body[:eq])
		if strings.ContainsAny(name, " \t") {
			continue
		}
		vs := start + eq + 1
		raw := body[eq+1:]
		v := Var{Name: name, Span: parsers.Span{Start: start, End: ls.End}}
		if len(raw) > 0 && (raw[0] == '"' || raw[0] == '\'') {
			if end := strings.IndexByte(raw[1:], raw[0]); end >= 0 {
				v.Quote = raw[0]
				v.Value = raw[1 : end+1]
				v.ValueSpan = parsers.Span{Start: vs, End: vs + end + 2}
				f.Vars = append(f.Vars, v)
				continue
			}
		}
		// Unquoted: a ` #` starts a comment; trailing blanks are not the value's.
		val := raw
		if i := strings.Index(val, " #"); i >= 0 {
			val = val[:i]
		}
		val = strings.TrimRight(val, " \t")
		v.Value = val
		v.ValueSpan = parsers.Span{Start: vs, End: vs + len(val)}
		f.Vars = append(f.Vars, v)
	}
	return f, nil
}
