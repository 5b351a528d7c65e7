// Package shell splits shell command lines into words with byte offsets,
// using mvdan.cc/sh's parser, for commands written as shell: Dockerfile
// shell-form CMD, compose `command:` strings, entrypoint scripts.
package shell

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/headroom-dev/headroom/parsers"
)

// Word is one word of a command, with offsets into the parsed source.
type Word struct {
	Value      string // the word with quotes removed; expansions kept as written
	Start, End int
	Quote      byte // the quote the whole word is wrapped in, if any
}

// Command is a simple command: its words and the offset at which a new
// word would come last (before `"$@"`, a redirect, or the end).
type Command struct {
	Words    []Word
	AppendAt int
}

// Commands returns every simple command in src, in order, including those
// inside `&&`/`||` lists, pipelines and subshells. Parse errors are
// returned with the offset where they occur.
func Commands(src string) ([]Command, error) {
	orig := []byte(src)
	masked := parsers.MaskTemplates(orig)
	src = string(masked)
	if err := nestingError(src); err != nil {
		return nil, err
	}
	f, err := syntax.NewParser(syntax.KeepComments(false)).Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, err
	}
	var out []Command
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		c := Command{}
		for _, w := range call.Args {
			c.Words = append(c.Words, unmasked(orig, masked, word(src, w)))
		}
		c.AppendAt = c.Words[len(c.Words)-1].End
		// "$@" passes the container's arguments on; flags go before it.
		if last := c.Words[len(c.Words)-1]; last.Value == "$@" || last.Value == "${@}" {
			c.AppendAt = trimSpaceLeft(src, last.Start)
			if len(c.Words) > 1 {
				c.AppendAt = c.Words[len(c.Words)-2].End
			}
		}
		out = append(out, c)
		return true
	})
	return out, nil
}

func trimSpaceLeft(src string, off int) int {
	for off > 0 && (src[off-1] == ' ' || src[off-1] == '\t') {
		off--
	}
	return off
}

func word(src string, w *syntax.Word) Word {
	out := Word{Start: int(w.Pos().Offset()), End: int(w.End().Offset())}
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
			if len(w.Parts) == 1 {
				out.Quote = '\''
			}
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if lit, ok := q.(*syntax.Lit); ok {
					b.WriteString(lit.Value)
				} else {
					b.WriteString(src[q.Pos().Offset():q.End().Offset()])
				}
			}
			if len(w.Parts) == 1 {
				out.Quote = '"'
			}
		default:
			b.WriteString(src[p.Pos().Offset():p.End().Offset()])
		}
	}
	out.Value = b.String()
	return out
}

// unmasked gives w, read from masked (parsers.MaskTemplates(orig)), its
// template placeholders back as written in orig.
func unmasked(orig, masked []byte, w Word) Word {
	if len(orig) > 0 && len(masked) > 0 && &orig[0] != &masked[0] {
		w.Value = parsers.Unmask(orig, masked, w.Value, w.Start, w.End)
	}
	return w
}

// unescape removes the backslashes of an unquoted literal ("a\ b" is "a b").
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Quote renders s as one shell word, quoting only when it needs it.
func Quote(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return q
}

// Skip returns the index of the word that runs the real program: it skips
// `exec`, leading VAR=value assignments are not words (the parser keeps them
// apart), and privilege droppers with their user (`gosu app`, `su-exec app`),
// `env` with its assignments, and `sh -c`-free wrappers such as `nice`.
func Skip(words []Word) int {
	i := 0
	for i < len(words) {
		switch words[i].Value {
		case "exec", "nice", "nohup", "tini", "--", "dumb-init":
			i++
		case "gosu", "su-exec", "chpst":
			i += 2
		case "env":
			i++
			for i < len(words) && strings.Contains(words[i].Value, "=") {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// nestingError is a parse error for a script nested deeper than
// parsers.MaxNesting: the parser's recursion (subshells, command
// substitutions, arithmetic) would otherwise exhaust the goroutine stack
// on a hostile script.
func nestingError(src string) error {
	off := deepNesting(src)
	if off < 0 {
		return nil
	}
	line, col := 1, 1
	for _, c := range src[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return syntax.ParseError{Pos: syntax.NewPos(uint(off), uint(line), uint(col)), Text: fmt.Sprintf("nesting deeper than %d", parsers.MaxNesting)}
}

// deepNesting returns the offset of the first ( or { nested deeper than
// parsers.MaxNesting, or -1. Single-quoted text, comments and escaped
// characters are skipped; double-quoted text is scanned as it may hold
// command substitutions.
func deepNesting(src string) int {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\\':
			i++
		case '\'':
			if j := strings.IndexByte(src[i+1:], '\''); j >= 0 {
				i += j + 1
			} else {
				i = len(src)
			}
		case '#':
			if i == 0 || strings.IndexByte(" \t\n;&|(", src[i-1]) >= 0 {
				if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
					i += j
				} else {
					i = len(src)
				}
			}
		case '(', '{':
			if depth++; depth > parsers.MaxNesting {
				return i
			}
		case ')', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}
