// Package dockerfile parses Dockerfiles with BuildKit's parser and maps what
// it finds back onto the source bytes: every instruction, every CMD and
// ENTRYPOINT argument and every ENV entry has a byte span, so rules can point
// at the token the author wrote and fixes can edit just that token.
//
// BuildKit reports only line numbers. The spans come from rebuilding each
// instruction's logical line (the continuation lines joined, comments and
// empty lines inside it dropped, exactly as BuildKit does) together with the
// source offset of every byte, and checking the rebuilt line against
// BuildKit's own copy.
package dockerfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// File is a parsed Dockerfile.
type File struct {
	Doc          *parsers.Document
	Instructions []*Instruction // every instruction, in order
	// Stages are the build stages, one per FROM. Instructions before the
	// first FROM (ARG) belong to no stage.
	Stages []*Stage
	// EscapeToken is the escape and line-continuation character (`\`, or
	// "`" when a `# escape=` directive says so).
	EscapeToken byte
}

// Stage is one FROM and the instructions up to the next FROM.
type Stage struct {
	Index        int
	Name         string // the `AS name`, lower-cased as BuildKit matches it; "" if none
	Base         string // the image or earlier stage it starts from
	From         *Instruction
	Instructions []*Instruction // From first
}

// Instruction is one Dockerfile instruction.
type Instruction struct {
	Keyword     string       // upper case: "CMD", "ENV", ...
	Span        parsers.Span // from the keyword to the end of its last line (heredoc bodies included)
	KeywordSpan parsers.Span
	// ArgsSpan covers the arguments after the keyword and any --flags, up to
	// the last non-blank byte of the instruction.
	ArgsSpan parsers.Span
	Flags    []string // BuildKit flags such as --platform=...
	Args     []string // BuildKit's values for the arguments
	// JSON is true for the exec (JSON array) form of CMD, ENTRYPOINT, RUN,
	// SHELL, ADD, COPY and VOLUME.
	JSON bool
	// Argvs are the command lines a CMD or ENTRYPOINT runs: one for the exec
	// form; one per simple command for the shell form (`migrate && exec
	// gunicorn ...` gives two).
	Argvs []parsers.Argv
	Env   []EnvVar // the entries of an ENV instruction
	Stage *Stage   // nil before the first FROM
	Line  int      // 1-based line of the keyword
}

// EnvVar is one entry of an ENV instruction.
type EnvVar struct {
	Key       string
	Value     string // quotes and escapes removed; $VARS kept as written
	Span      parsers.Span
	KeySpan   parsers.Span
	ValueSpan parsers.Span // the value as written, quotes included
	Quote     byte         // the quote around the whole value, if any
}

// logical is an instruction's logical line with the source offset of each
// of its bytes; off has one extra entry, the offset just past the last byte.
type logical struct {
	text []byte
	off  []int
}

// span maps a half-open range of the logical line to source bytes.
func (l *logical) span(a, b int) parsers.Span {
	if b <= a {
		return parsers.Span{Start: l.off[a], End: l.off[a]}
	}
	return parsers.Span{Start: l.off[a], End: l.off[b-1] + 1}
}

// Parse parses doc. Syntax errors (those BuildKit reports, malformed JSON
// arrays, shell-form commands that are not valid shell) are *parsers.Error
// values naming the line and column.
func Parse(doc *parsers.Document) (f *File, err error) {
	// BuildKit's parser is written for Dockerfiles people mean to build, not
	// for arbitrary input: a panic inside it must surface as a parse error,
	// never crash a lint run over a whole tree.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, doc.Errorf(0, "cannot parse Dockerfile: %v", r)
		}
	}()
	res, perr := parser.Parse(bytes.NewReader(doc.Src))
	if perr != nil {
		return nil, locate(doc, perr)
	}
	f = &File{Doc: doc, EscapeToken: byte(res.EscapeToken)}
	if f.EscapeToken == 0 {
		f.EscapeToken = '\\'
	}
	var cur *Stage
	for _, node := range res.AST.Children {
		ins, err := f.instruction(node)
		if err != nil {
			return nil, err
		}
		if ins.Keyword == "FROM" {
			cur = &Stage{Index: len(f.Stages), From: ins}
			if len(ins.Args) > 0 {
				cur.Base = ins.Args[0]
			}
			if len(ins.Args) >= 3 && strings.EqualFold(ins.Args[1], "AS") {
				cur.Name = strings.ToLower(ins.Args[2])
			}
			f.Stages = append(f.Stages, cur)
		}
		ins.Stage = cur
		if cur != nil {
			cur.Instructions = append(cur.Instructions, ins)
		}
		f.Instructions = append(f.Instructions, ins)
	}
	return f, nil
}

// locate turns a BuildKit error into a *parsers.Error at its line.
func locate(doc *parsers.Document, err error) error {
	var le *parser.LocationError
	line := 0
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		line = le.Locations[0][0].Start.Line
	}
	msg := err.Error()
	if le != nil {
		msg = le.Unwrap().Error()
	}
	if line < 1 {
		line = 1
	}
	return doc.Errorf(doc.Offset(line, 1), "%s", msg)
}

// isSpace is BuildKit's notion of white space at the start of a line.
func isSpace(b byte) bool { return unicode.IsSpace(rune(b)) }

// rebuild joins the lines of the instruction starting at line the way
// BuildKit's Parse does, recording where each byte came from. It returns
// the logical line and the last source line it used.
func (f *File) rebuild(line int) (*logical, int) {
	doc := f.Doc
	l := &logical{}
	first := true
	last := line
	for ; line <= doc.LineCount(); line++ {
		ls := doc.LineSpan(line)
		start, end := ls.Start, ls.End
		// BuildKit trims every trailing \r and \n, not just one.
		for end > start && (doc.Src[end-1] == '\r' || doc.Src[end-1] == '\n') {
			end--
		}
		if line == 1 && bytes.HasPrefix(doc.Src[start:end], []byte("\xef\xbb\xbf")) {
			start += 3
		}
		if first {
			for start < end && isSpace(doc.Src[start]) {
				start++
			}
		} else {
			trimmed := bytes.TrimLeftFunc(doc.Src[start:end], unicode.IsSpace)
			if len(trimmed) == 0 || trimmed[0] == '#' {
				continue // comment and empty lines inside a continuation vanish
			}
		}
		last = line
		cont := false
		t := end
		for t > start && (doc.Src[t-1] == ' ' || doc.Src[t-1] == '\t') {
			t--
		}
		if t > start && doc.Src[t-1] == f.EscapeToken && (t-1 == start || doc.Src[t-2] != f.EscapeToken) {
			cont = true
			end = t - 1
		}
		for i := start; i < end; i++ {
			l.text = append(l.text, doc.Src[i])
			l.off = append(l.off, i)
		}
		if !cont {
			l.off = append(l.off, end)
			return l, last
		}
		first = false
		if line == doc.LineCount() {
			l.off = append(l.off, end)
			return l, last
		}
	}
	l.off = append(l.off, len(doc.Src))
	return l, last
}

func (f *File) instruction(node *parser.Node) (*Instruction, error) {
	doc := f.Doc
	l, _ := f.rebuild(node.StartLine)
	if string(l.text) != node.Original {
		// The rebuilt line must be BuildKit's; if not, spans would point at
		// the wrong bytes, and a wrong edit is worse than none.
		return nil, doc.Errorf(doc.Offset(node.StartLine, 1), "cannot map %s instruction onto the source", node.Value)
	}
	text := l.text
	ins := &Instruction{
		Keyword: strings.ToUpper(node.Value),
		Flags:   node.Flags,
		JSON:    node.Attributes["json"],
		Line:    node.StartLine,
	}
	for n := node.Next; n != nil; n = n.Next {
		ins.Args = append(ins.Args, n.Value)
	}
	i := 0
	for i < len(text) && !isWS(text[i]) {
		i++
	}
	ins.KeywordSpan = l.span(0, i)
	if !known[ins.Keyword] {
		// docker build refuses these; BuildKit's parser alone lets them by.
		msg := fmt.Sprintf("unknown instruction %s", node.Value)
		if strings.HasPrefix(node.Value, `"`) || strings.HasPrefix(node.Value, "[") {
			msg += " (an instruction continued on the next line needs " + string(f.EscapeToken) + " at the end of the line)"
		}
		return nil, doc.Errorf(ins.KeywordSpan.Start, "%s", msg)
	}
	ins.Span = parsers.Span{Start: l.off[0], End: doc.LineSpan(node.EndLine).End}
	// Skip the white space and the --flags BuildKit took out of the line.
	for {
		for i < len(text) && isWS(text[i]) {
			i++
		}
		if len(ins.Flags) == 0 || !bytes.HasPrefix(text[i:], []byte("--")) {
			break
		}
		if i+2 == len(text) || isWS(text[i+2]) { // a bare `--` ends the flags
			i += 2
			continue
		}
		for i < len(text) && !isWS(text[i]) {
			i++
		}
	}
	end := len(text)
	for end > i && isWS(text[end-1]) {
		end--
	}
	ins.ArgsSpan = l.span(i, end)
	args := string(text[i:end])

	var err error
	switch ins.Keyword {
	case "CMD", "ENTRYPOINT":
		if args == "" {
			break
		}
		if ins.JSON {
			var argv parsers.Argv
			argv, err = f.execArgv(l, i, end)
			ins.Argvs = []parsers.Argv{argv}
		} else {
			ins.Argvs, err = f.shellArgvs(l, i, args)
		}
	case "ENV":
		ins.Env = f.envVars(l, i, end, node)
	}
	if err != nil {
		return nil, err
	}
	return ins, nil
}

// known are the Dockerfile instructions docker build accepts.
var known = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true,
	"ONBUILD": true, "RUN": true, "SHELL": true, "STOPSIGNAL": true, "USER": true,
	"VOLUME": true, "WORKDIR": true,
}

// isWS is the white space BuildKit splits instruction words on.
func isWS(b byte) bool { return b == ' ' || b == '\t' || b == '\v' || b == '\f' || b == '\r' }

func isJSONSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// execArgv scans the JSON array in l.text[a:b] for its string tokens.
// BuildKit has already accepted it as a JSON array of strings; the scan
// still checks every step so that no input can make it misread.
func (f *File) execArgv(l *logical, a, b int) (parsers.Argv, error) {
	text := l.text
	bad := func(i int, what string) error {
		if i > b {
			i = b
		}
		return f.Doc.Errorf(l.off[i], "malformed JSON array: %s", what)
	}
	argv := parsers.Argv{Doc: f.Doc, Form: parsers.FormExec}
	i := a
	if i >= b || text[i] != '[' {
		return argv, bad(i, "expected [")
	}
	open := i
	i++
	argv.AppendAt = l.off[i]
	for {
		for i < b && isJSONSpace(text[i]) {
			i++
		}
		if i >= b {
			return argv, bad(i, "missing ]")
		}
		if text[i] == ']' && len(argv.Words) == 0 {
			break
		}
		if text[i] != '"' {
			return argv, bad(i, "expected a string")
		}
		j := i + 1
		for j < b && text[j] != '"' {
			if text[j] == '\\' {
				j++
			}
			j++
		}
		if j >= b {
			return argv, bad(i, "unterminated string")
		}
		j++
		var v string
		if err := json.Unmarshal(text[i:j], &v); err != nil {
			return argv, bad(i, err.Error())
		}
		sp := l.span(i, j)
		argv.Words = append(argv.Words, parsers.Word{Value: v, Span: sp, Quote: '"'})
		argv.AppendAt = sp.End
		i = j
		for i < b && isJSONSpace(text[i]) {
			i++
		}
		if i < b && text[i] == ',' {
			i++
			continue
		}
		if i < b && text[i] == ']' {
			break
		}
		return argv, bad(i, "expected , or ]")
	}
	argv.Span = l.span(open, i+1)
	return argv, nil
}

// shellArgvs splits a shell-form command into its simple commands. Each
// Argv starts at the program (after `exec`, `gosu user` and the like).
func (f *File) shellArgvs(l *logical, a int, args string) ([]parsers.Argv, error) {
	cmds, err := shell.Commands(args)
	if err != nil {
		off := l.off[a]
		var pe syntax.ParseError
		var ppe *syntax.ParseError
		switch {
		case errors.As(err, &pe):
			off = l.off[a+clampPos(pe.Pos, len(args))]
			err = errors.New(pe.Text)
		case errors.As(err, &ppe):
			off = l.off[a+clampPos(ppe.Pos, len(args))]
			err = errors.New(ppe.Text)
		}
		return nil, f.Doc.Errorf(off, "shell-form command is not valid shell: %v", err)
	}
	var out []parsers.Argv
	for _, c := range cmds {
		k := shell.Skip(c.Words)
		if k >= len(c.Words) {
			continue
		}
		argv := parsers.Argv{Doc: f.Doc, Form: parsers.FormShell}
		words := c.Words[k:]
		// "$@" hands the container's arguments on; it is not one of the
		// command's own options, and new words go before it.
		if last := words[len(words)-1]; len(words) > 1 && (last.Value == "$@" || last.Value == "${@}") {
			words = words[:len(words)-1]
		}
		for _, w := range words {
			argv.Words = append(argv.Words, parsers.Word{Value: w.Value, Span: l.span(a+w.Start, a+w.End), Quote: w.Quote})
		}
		argv.Span = parsers.Span{Start: argv.Words[0].Span.Start, End: l.span(a+c.Words[len(c.Words)-1].Start, a+c.Words[len(c.Words)-1].End).End}
		argv.AppendAt = argv.Words[len(argv.Words)-1].Span.End
		out = append(out, argv)
	}
	return out, nil
}

func clampPos(p syntax.Pos, n int) int {
	o := int(p.Offset())
	if o < 0 {
		return 0
	}
	if o > n {
		return n
	}
	return o
}

// envVars finds the entries of an ENV instruction in l.text[a:b], both the
// `KEY=value ...` form and the legacy `KEY value with spaces` form.
func (f *File) envVars(l *logical, a, b int, node *parser.Node) []EnvVar {
	text := l.text
	words := splitWords(text[a:b], f.EscapeToken)
	if len(words) == 0 {
		return nil
	}
	if !bytes.Contains(text[a+words[0][0]:a+words[0][1]], []byte("=")) {
		// Legacy form: the key, white space, then the rest of the line.
		k := a + words[0][1]
		v := k
		for v < b && isWS(text[v]) {
			v++
		}
		e := EnvVar{
			Key:       string(text[a+words[0][0] : k]),
			Value:     string(text[v:b]),
			KeySpan:   l.span(a+words[0][0], k),
			ValueSpan: l.span(v, b),
			Span:      l.span(a+words[0][0], b),
		}
		return []EnvVar{e}
	}
	var out []EnvVar
	for _, w := range words {
		s, e := a+w[0], a+w[1]
		eq := bytes.IndexByte(text[s:e], '=')
		if eq < 0 {
			continue // BuildKit has rejected this already
		}
		raw := text[s+eq+1 : e]
		v := EnvVar{
			Key:       string(text[s : s+eq]),
			KeySpan:   l.span(s, s+eq),
			ValueSpan: l.span(s+eq+1, e),
			Span:      l.span(s, e),
		}
		v.Value, v.Quote = unquote(raw, f.EscapeToken)
		out = append(out, v)
	}
	return out
}

// splitWords splits like BuildKit's parseWords (white space outside quotes
// separates words; the escape token protects the next character) and
// returns each word's [start, end) in b.
func splitWords(b []byte, esc byte) [][2]int {
	var out [][2]int
	i := 0
	for i < len(b) {
		for i < len(b) && unicode.IsSpace(rune(b[i])) {
			i++
		}
		if i >= len(b) {
			break
		}
		start := i
		var quote byte
		for i < len(b) {
			c := b[i]
			if quote == 0 && unicode.IsSpace(rune(c)) {
				break
			}
			switch {
			case c == esc && quote != '\'':
				i++
			case quote == 0 && (c == '\'' || c == '"'):
				quote = c
			case quote != 0 && c == quote:
				quote = 0
			}
			i++
		}
		if i > len(b) {
			i = len(b)
		}
		out = append(out, [2]int{start, i})
	}
	return out
}

// unquote removes shell quoting from an ENV value, as BuildKit's word
// expansion does, leaving $VARS as written. The quote is reported when one
// pair of quotes wraps the whole value.
func unquote(raw []byte, esc byte) (string, byte) {
	var q byte
	if len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0] {
		q = raw[0]
		if bytes.IndexByte(raw[1:len(raw)-1], q) >= 0 {
			q = 0
		}
	}
	var sb strings.Builder
	var quote byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == esc && quote != '\'' && i+1 < len(raw):
			i++
			sb.WriteByte(raw[i])
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote != 0 && c == quote:
			quote = 0
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String(), q
}

// FinalStage is the stage `docker build` builds without --target.
func (f *File) FinalStage() *Stage {
	if len(f.Stages) == 0 {
		return nil
	}
	return f.Stages[len(f.Stages)-1]
}

// Targets are the stages that may run as an image: the final stage, which
// `docker build` builds without --target, and each earlier stage that no
// other stage builds on (FROM) or copies from (COPY --from), which only
// `--target` builds (`FROM base AS production` above a `dev` stage). The
// final stage comes first.
func (f *File) Targets() []*Stage {
	final := f.FinalStage()
	if final == nil {
		return nil
	}
	used := map[*Stage]bool{}
	for _, st := range f.Stages {
		if b := f.stageNamed(st.Base, st.Index); b != nil {
			used[b] = true
		}
		for _, ins := range st.Instructions {
			if ins.Keyword != "COPY" && ins.Keyword != "ADD" {
				continue
			}
			for _, fl := range ins.Flags {
				if from, ok := strings.CutPrefix(fl, "--from="); ok {
					if b := f.stageNamed(from, st.Index); b != nil {
						used[b] = true
					}
				}
			}
		}
	}
	out := []*Stage{final}
	for _, st := range f.Stages[:len(f.Stages)-1] {
		if !used[st] {
			out = append(out, st)
		}
	}
	return out
}

// chain is the target stage followed by the earlier stages it is built
// FROM, nearest first, so settings it inherits can be looked up in order.
// A nil target is the final stage.
func (f *File) chain(target *Stage) []*Stage {
	if target == nil {
		target = f.FinalStage()
	}
	var out []*Stage
	seen := map[*Stage]bool{}
	for s := target; s != nil && !seen[s]; {
		seen[s] = true
		out = append(out, s)
		s = f.stageNamed(s.Base, s.Index)
	}
	return out
}

// stageNamed finds an earlier stage by name or index, as FROM refers to it.
func (f *File) stageNamed(name string, before int) *Stage {
	name = strings.ToLower(name)
	for i := before - 1; i >= 0; i-- {
		s := f.Stages[i]
		if (s.Name != "" && s.Name == name) || fmt.Sprint(s.Index) == name {
			return s
		}
	}
	return nil
}

// last returns the last instruction with keyword kw in the stage chain and
// the position in the chain of the stage holding it.
func last(chain []*Stage, kw string) (*Instruction, int) {
	for depth, s := range chain {
		for i := len(s.Instructions) - 1; i >= 0; i-- {
			if s.Instructions[i].Keyword == kw {
				return s.Instructions[i], depth
			}
		}
	}
	return nil, -1
}

// Entrypoint and Cmd are the instructions in effect for the final stage
// (inherited from the stages it builds on), nil when unset. As in Docker, an
// ENTRYPOINT set nearer than the CMD resets the inherited CMD.
func (f *File) Entrypoint() *Instruction { return f.EntrypointOf(nil) }

// Cmd is the final stage's CMD in effect; see Entrypoint.
func (f *File) Cmd() *Instruction { return f.CmdOf(nil) }

// EntrypointOf is the ENTRYPOINT in effect for a target stage (nil: the
// final stage).
func (f *File) EntrypointOf(target *Stage) *Instruction {
	e, _ := last(f.chain(target), "ENTRYPOINT")
	return e
}

// CmdOf is the CMD in effect for a target stage (nil: the final stage).
func (f *File) CmdOf(target *Stage) *Instruction {
	chain := f.chain(target)
	c, cd := last(chain, "CMD")
	if _, ed := last(chain, "ENTRYPOINT"); c != nil && ed >= 0 && ed < cd {
		return nil
	}
	return c
}

// Commands returns the command lines the final stage's ENTRYPOINT and CMD
// run; see CommandsOf.
func (f *File) Commands() []parsers.Argv { return f.CommandsOf(nil) }

// CommandsOf returns the command lines a target stage's ENTRYPOINT and CMD
// run (nil: the final stage). An exec-form ENTRYPOINT with an exec-form CMD
// runs both as one argv, which is returned first (its new words go at the
// end of the CMD array); the CMD's own argv follows, for entrypoints that
// are wrapper scripts which exec their arguments. A shell-form ENTRYPOINT
// ignores CMD, as Docker does.
func (f *File) CommandsOf(target *Stage) []parsers.Argv {
	ep, cmd := f.EntrypointOf(target), f.CmdOf(target)
	var out []parsers.Argv
	switch {
	case ep != nil && len(ep.Argvs) == 0:
		// ENTRYPOINT [] clears the entrypoint.
	case ep != nil && !ep.JSON:
		return ep.Argvs
	case ep != nil && cmd != nil && cmd.JSON && len(cmd.Argvs) == 1:
		out = append(out, parsers.Join(ep.Argvs[0], cmd.Argvs[0]))
	default:
		if ep != nil {
			out = append(out, ep.Argvs...)
		}
	}
	if cmd != nil {
		out = append(out, cmd.Argvs...)
	}
	return out
}

// Env returns the ENV entries in effect in the final stage; see EnvOf.
func (f *File) Env() []EnvVar { return f.EnvOf(nil) }

// EnvOf returns the ENV entries in effect in a target stage (nil: the
// final stage), inherited ones first, in the order they are set (a later
// entry overrides an earlier one).
func (f *File) EnvOf(target *Stage) []EnvVar {
	chain := f.chain(target)
	var out []EnvVar
	for i := len(chain) - 1; i >= 0; i-- {
		for _, ins := range chain[i].Instructions {
			out = append(out, ins.Env...)
		}
	}
	return out
}

// LookupEnv returns the ENV entry for key in effect in the final stage.
func (f *File) LookupEnv(key string) (EnvVar, bool) { return f.LookupEnvOf(nil, key) }

// LookupEnvOf returns the ENV entry for key in effect in a target stage
// (nil: the final stage).
func (f *File) LookupEnvOf(target *Stage, key string) (EnvVar, bool) {
	env := f.EnvOf(target)
	for i := len(env) - 1; i >= 0; i-- {
		if env[i].Key == key {
			return env[i], true
		}
	}
	return EnvVar{}, false
}
