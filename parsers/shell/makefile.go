package shell

import (
	"path"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// IsMakefile reports whether p names a Makefile that GNU make reads by
// default (`make altprodserver` in an image's ENTRYPOINT).
func IsMakefile(p string) bool {
	switch path.Base(strings.ReplaceAll(p, `\`, "/")) {
	case "Makefile", "makefile", "GNUmakefile":
		return true
	}
	return false
}

// makeAssign matches a make variable assignment, global or
// target-specific (`NUM_PROCS := 3`, `altprodserver: NUM_PROCS:=3`,
// `PORT ?= 8000`), with the value's offsets in submatch 3.
var makeAssign = regexp.MustCompile(`(?m)^(?:[A-Za-z0-9_.%-]+[ \t]*:[ \t]*)?(?:override[ \t]+|export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*(:=|::=|\?=|=)[ \t]*([^\n#]*?)[ \t]*$`)

// makeRef matches a make variable reference written $(VAR), which the
// shell would read as a command substitution.
var makeRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// ParseMakefile reads the recipes of a Makefile that start an app server
// as a script: each such tab-indented recipe line (with its `\`
// continuations) is a line of shell (make hands it to /bin/sh), with its
// `@`/`-`/`+` prefix and everything else blanked, so offsets stay those of
// the file. Recipe lines that name no server, or that do not parse as
// shell on their own (make functions such as `$(shell ...)`), are left
// out. Variable assignments (global and target-specific) are the
// script's variables, and a `$(VAR)` reference reads as `${VAR}`.
func ParseMakefile(doc *parsers.Document) (*Script, error) {
	src := make([]byte, len(doc.Src))
	for i, c := range doc.Src {
		src[i] = ' '
		if c == '\n' || c == '\r' {
			src[i] = c
		}
	}
	var vars []Var
	type recipe struct {
		start, end int
		target     string
	}
	var recipes []recipe
	target, first := "", ""
	lines := strings.SplitAfter(string(doc.Src), "\n")
	off := 0
	for k := 0; k < len(lines); k++ {
		line := lines[k]
		body := strings.TrimRight(line, "\r\n")
		if !strings.HasPrefix(body, "\t") {
			if m := makeRule.FindStringSubmatch(body); m != nil && !makeAssign.MatchString(body) {
				target = strings.Fields(m[1])[0]
				if first == "" && !strings.HasPrefix(target, ".") && !strings.Contains(target, "%") {
					first = target
				}
			}
			if m := makeAssign.FindStringSubmatchIndex(body); m != nil {
				vars = append(vars, Var{
					Name:      body[m[2]:m[3]],
					Value:     body[m[6]:m[7]],
					Span:      parsers.Span{Start: off + m[0], End: off + m[1]},
					ValueSpan: parsers.Span{Start: off + m[6], End: off + m[7]},
				})
			}
			off += len(line)
			continue
		}
		// One logical recipe line: this line and its continuations.
		start, end := off, off+len(line)
		for strings.HasSuffix(strings.TrimRight(lines[k], "\r\n"), "\\") && k+1 < len(lines) {
			k++
			end += len(lines[k])
		}
		off = end
		text := doc.Src[start:end]
		if !serverProgram.Match(text) {
			continue
		}
		one := make([]byte, len(text))
		copy(one, text)
		one[0] = ' '
		for i := 1; i < len(one) && strings.IndexByte("@-+", one[i]) >= 0; i++ {
			one[i] = ' '
		}
		for _, m := range makeRef.FindAllIndex(one, -1) {
			// $(VAR) -> ${VAR}: same length.
			one[m[0]+1] = '{'
			one[m[1]-1] = '}'
		}
		if _, err := ParseScript(parsers.NewDocument(doc.Path, doc.Kind, one)); err != nil {
			continue
		}
		copy(src[start:end], one)
		recipes = append(recipes, recipe{start, end, target})
	}
	s, err := parseMasked(doc, src)
	if err != nil {
		return nil, err
	}
	s.Vars = append(vars, s.Vars...)
	s.DefaultTarget = first
	for _, c := range s.Commands {
		t := ""
		for _, r := range recipes {
			if c.Span.Start >= r.start && c.Span.Start < r.end {
				t = r.target
			}
		}
		s.Targets = append(s.Targets, t)
	}
	return s, nil
}

// makeRule matches a rule line (`altprodserver: collectstatic`), its
// targets in submatch 1.
var makeRule = regexp.MustCompile(`^([A-Za-z0-9_.%/-][A-Za-z0-9_.%/ \t-]*?)[ \t]*::?([^=]|$)`)

// serverProgram matches a word naming an app server or worker.
var serverProgram = regexp.MustCompile(`\b(gunicorn|uvicorn|daphne|celery|uwsgi|granian|hypercorn)\b`)
