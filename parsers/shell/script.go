package shell

import (
	"errors"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/headroom-dev/headroom/parsers"
)

// Script is a parsed entrypoint or start script.
type Script struct {
	Doc *parsers.Document
	// Commands are the script's simple commands, each starting at the
	// program it runs (after `exec`, `gosu app` and the like), with a
	// trailing `"$@"` left out of the words.
	Commands []parsers.Argv
	// Vars are the variables the script sets for what it runs:
	// `export X=v`, `X=v` lines and `X=v cmd` prefixes, in order.
	Vars []Var
	// Execs says, per command, whether it hands the rest of the container's
	// life to the program (`exec`): nothing after it runs.
	Execs []bool
	// Targets is, for a Makefile read as a script, the rule target each
	// command's recipe belongs to (nil for other scripts).
	Targets []string
	// DefaultTarget is a Makefile's first target, the one `make` with no
	// target builds.
	DefaultTarget string
}

// Var is one variable assignment of a script.
type Var struct {
	Name  string
	Value string // quotes removed; expansions kept as written
	Span  parsers.Span
	// ValueSpan covers the value as written, quotes included.
	ValueSpan parsers.Span
	Quote     byte
	Export    bool
}

// Lookup returns the last assignment of name, or false.
func (s *Script) Lookup(name string) (Var, bool) {
	for i := len(s.Vars) - 1; i >= 0; i-- {
		if s.Vars[i].Name == name {
			return s.Vars[i], true
		}
	}
	return Var{}, false
}

// ParseScript parses doc as a POSIX or bash script.
func ParseScript(doc *parsers.Document) (*Script, error) {
	masked := parsers.MaskTemplates(doc.Src)
	src := string(masked)
	readWord := func(w *syntax.Word) Word { return unmasked(doc.Src, masked, word(src, w)) }
	if off := deepNesting(src); off >= 0 {
		return nil, doc.NestingError(off, parsers.MaxNesting)
	}
	f, err := syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), doc.Path)
	if err != nil {
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			return nil, doc.Errorf(int(pe.Pos.Offset()), "shell: %s", pe.Text)
		}
		return nil, doc.Errorf(0, "shell: %v", err)
	}
	s := &Script{Doc: doc}
	assign := func(a *syntax.Assign, export bool) {
		if a.Name == nil || a.Naked || a.Array != nil {
			return
		}
		v := Var{Name: a.Name.Value, Export: export, Span: parsers.Span{Start: int(a.Pos().Offset()), End: int(a.End().Offset())}}
		if a.Value != nil {
			w := readWord(a.Value)
			v.Value, v.Quote = w.Value, w.Quote
			v.ValueSpan = parsers.Span{Start: w.Start, End: w.End}
		} else {
			v.ValueSpan = parsers.Span{Start: v.Span.End, End: v.Span.End}
		}
		s.Vars = append(s.Vars, v)
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.DeclClause:
			if n.Variant != nil && n.Variant.Value == "export" {
				for _, a := range n.Args {
					assign(a, true)
				}
			}
		case *syntax.CallExpr:
			for _, a := range n.Assigns {
				assign(a, len(n.Args) > 0)
			}
			if len(n.Args) == 0 {
				return true
			}
			var words []Word
			for _, w := range n.Args {
				words = append(words, readWord(w))
			}
			k := Skip(words)
			if k >= len(words) {
				return true
			}
			isExec := k > 0 && words[0].Value == "exec"
			words = words[k:]
			if last := words[len(words)-1]; len(words) > 1 && (last.Value == "$@" || last.Value == "${@}") {
				words = words[:len(words)-1]
			}
			argv := parsers.Argv{Doc: doc, Form: parsers.FormShell}
			for _, w := range words {
				argv.Words = append(argv.Words, parsers.Word{Value: w.Value, Span: parsers.Span{Start: w.Start, End: w.End}, Quote: w.Quote})
			}
			argv.Span = parsers.Span{Start: words[0].Start, End: words[len(words)-1].End}
			argv.AppendAt = words[len(words)-1].End
			s.Commands = append(s.Commands, argv)
			s.Execs = append(s.Execs, isExec)
		}
		return true
	})
	return s, nil
}
