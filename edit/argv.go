package edit

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// The builders below edit command lines (parsers.Argv) in the form the
// author wrote them: a JSON or YAML flow array, a shell line, or a YAML
// block sequence. They change only the bytes of the words they touch, so
// the layout around them (continuations, comments, spacing) stays.

// ArgvSetOption sets an option's value in the form it is written:
// `--workers 3` becomes `--workers 8`, `--workers=3` becomes `--workers=8`,
// `-w3` becomes `-w8`, each with the quoting the author used.
func ArgvSetOption(a parsers.Argv, opt *servercmd.Option, value string) TextEdit {
	a = argvHolding(a, opt.ValueWord)
	edit := func(s parsers.Span, text string) TextEdit {
		return TextEdit{Path: a.Doc.Path, Span: s, New: argvEncode(a, text)}
	}
	switch opt.Form {
	case servercmd.FormSeparate:
		w := a.Words[opt.ValueWord]
		return edit(w.Span, ArgvWord(a, value, w.Quote))
	case servercmd.FormEquals, servercmd.FormAttached:
		w := a.Words[opt.Word]
		if opt.ValueSpan != w.Span && argvBareSafe(value) {
			return edit(opt.ValueSpan, value)
		}
		sep := "="
		if opt.Form == servercmd.FormAttached {
			sep = ""
		}
		text := a.Doc.Text(w.Span)
		if a.Form == parsers.FormShell && w.Quote == 0 && len(text) > 0 && (text[len(text)-1] == '"' || text[len(text)-1] == '\'') {
			// `--workers="3"`: only the value is quoted; quote the new one so.
			return edit(w.Span, opt.Flag+sep+ArgvWord(a, value, text[len(text)-1]))
		}
		return edit(w.Span, ArgvWord(a, opt.Flag+sep+value, w.Quote))
	default: // a bare flag gains a value
		w := a.Words[opt.Word]
		return edit(w.Span, ArgvWord(a, opt.Flag+"="+value, w.Quote))
	}
}

// ArgvAppend adds words at the end of the command (a.AppendAt): in a JSON
// or YAML flow array `, "--max-requests", "1000"` with the array's own
// separator and quotes; on a shell line ` --max-requests 1000`, quoted only
// where the shell needs it; in a YAML block sequence one `- item` line per
// word, indented and quoted like the items above it.
func ArgvAppend(a parsers.Argv, words ...string) TextEdit {
	e := TextEdit{Path: a.Doc.Path, Span: parsers.Span{Start: a.AppendAt, End: a.AppendAt}}
	var quote byte = '"'
	if n := len(a.Words); n > 0 {
		quote = a.Words[n-1].Quote
	}
	src := a.Doc.Src
	switch a.Form {
	case parsers.FormExec:
		sep := argvExecSep(a)
		var b strings.Builder
		first := argvAfterOpen(src, a.AppendAt)
		if brk, ok := argvLineBreak(a); ok && !first {
			// A command laid out over several lines gets its new words on a
			// line of their own, broken the way the author broke the others.
			b.WriteString(brk)
			first = true
		}
		for _, w := range words {
			if !first {
				b.WriteString(sep)
			}
			first = false
			b.WriteString(ArgvWord(a, w, quote))
		}
		e.New = b.String()
	case parsers.FormYAMLBlock:
		if len(a.Words) == 0 {
			return e
		}
		last := a.Words[len(a.Words)-1]
		line := a.Doc.Position(last.Span.Start).Line
		ls := a.Doc.LineSpan(line)
		indent := a.Doc.Indentation(last.Span.Start)
		marker := string(src[ls.Start+len(indent) : last.Span.Start])
		if !strings.HasPrefix(marker, "-") {
			marker = "- "
		}
		end := a.Doc.Position(last.Span.End).Line
		e.Span = parsers.Span{Start: a.Doc.LineSpan(end).End, End: a.Doc.LineSpan(end).End}
		var b strings.Builder
		for _, w := range words {
			b.WriteString(a.Doc.Newline())
			b.WriteString(indent)
			b.WriteString(marker)
			b.WriteString(ArgvWord(a, w, quote))
		}
		e.New = b.String()
	default:
		var b strings.Builder
		brk, broken := argvLineBreak(a)
		for i, w := range words {
			if i == 0 && broken && a.AppendAt == a.Words[len(a.Words)-1].Span.End {
				b.WriteString(brk)
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(argvEncode(a, ArgvWord(a, w, 0)))
		}
		e.New = b.String()
	}
	return e
}

// ArgvRemoveOption removes an option and its value word, with the
// separator before them, so the array or line stays valid.
func ArgvRemoveOption(a parsers.Argv, opt *servercmd.Option) TextEdit {
	return ArgvRemoveWords(a, opt.Word, opt.ValueWord)
}

// ArgvRemoveWords removes words i..j (inclusive). In arrays and shell lines
// the separator before word i goes with them (or the one after word j when
// i starts its array); in a YAML block sequence their whole lines go.
func ArgvRemoveWords(a parsers.Argv, i, j int) TextEdit {
	if a.Head != nil && i < a.Joined && j >= a.Joined {
		// Words of two files cannot go in one edit: an edit no file can
		// take, so the fix is dropped rather than half done.
		return TextEdit{Path: a.Doc.Path, Span: parsers.Span{Start: -1, End: -1}}
	}
	a = argvHolding(a, j)
	w := a.Words
	src := a.Doc.Src
	e := TextEdit{Path: a.Doc.Path}
	if a.Form == parsers.FormYAMLBlock {
		start := a.Doc.LineSpan(a.Doc.Position(w[i].Span.Start).Line).Start
		endLine := a.Doc.Position(w[j].Span.End).Line
		end := len(src)
		if endLine < a.Doc.LineCount() {
			end = a.Doc.Offset(endLine+1, 1)
		}
		e.Span = parsers.Span{Start: start, End: end}
		return e
	}
	// Two words are in the same list unless an array bracket lies between
	// them (an ENTRYPOINT and CMD joined into one argv).
	together := func(x, y int) bool {
		if x < a.Joined && y >= a.Joined || w[x].Span.End > w[y].Span.Start {
			return false
		}
		between := src[w[x].Span.End:w[y].Span.Start]
		return a.Form != parsers.FormExec || !bytes.ContainsAny(between, "[]")
	}
	if start, end, ok := argvWholeLines(src, w[i].Span.Start, w[j].Span.End, a.Form == parsers.FormExec); ok && j+1 < len(w) && together(j, j+1) {
		// The words fill their own continuation line: drop the line, so
		// the lines around it, comments included, stay as they are.
		e.Span = parsers.Span{Start: start, End: end}
		return e
	}
	switch {
	case i > 0 && together(i-1, i):
		e.Span = parsers.Span{Start: w[i-1].Span.End, End: w[j].Span.End}
	case j+1 < len(w) && together(j, j+1):
		e.Span = parsers.Span{Start: w[i].Span.Start, End: w[j+1].Span.Start}
	default:
		e.Span = parsers.Span{Start: w[i].Span.Start, End: w[j].Span.End}
	}
	return e
}

// argvEncode escapes text written into a shell-form command for the YAML
// quoted scalar the command is written in, if any: `\` and `"` in a
// double-quoted one, `'` in a single-quoted one.
func argvEncode(a parsers.Argv, text string) string {
	switch a.Scalar {
	case '"':
		return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text)
	case '\'':
		return strings.ReplaceAll(text, `'`, `''`)
	}
	return text
}

// ArgvWord renders s as one word of a, in a's form, with the quote the
// author used for its siblings (0 for none) where that is valid.
func ArgvWord(a parsers.Argv, s string, quote byte) string {
	switch a.Form {
	case parsers.FormShell:
		switch {
		case quote == '"':
			r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`")
			return `"` + r.Replace(s) + `"`
		case quote == '\'':
			return `'` + strings.ReplaceAll(s, `'`, `'\''`) + `'`
		}
		if argvBareSafe(strings.ReplaceAll(s, "=", "")) && !strings.HasPrefix(s, "=") {
			return s // "=" only makes an assignment in a command's first words
		}
		return shell.Quote(s)
	default:
		// A Dockerfile exec form is JSON; a YAML flow or block sequence
		// takes JSON's double-quoted strings too, and single-quoted or
		// plain scalars where the author used them.
		switch {
		case quote == '\'':
			return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
		case quote == 0 && a.Doc.Kind != parsers.KindDockerfile && argvYAMLPlain(s):
			return s
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s) // a string always encodes
		return strings.TrimSuffix(b.String(), "\n")
	}
}

// argvHolding is the argv whose file holds word i of a: a itself, or, in
// an argv joined across two files, its entrypoint (a.Head) for a word of
// the entrypoint's; the entrypoint's words keep their indices.
func argvHolding(a parsers.Argv, i int) parsers.Argv {
	if a.Head != nil && i < a.Joined {
		return *a.Head
	}
	return a
}

// argvExecSep is the separator the array uses between words (", " or ","),
// taken from the last two words when they share a line.
func argvExecSep(a parsers.Argv) string {
	// The last two words of one array: an ENTRYPOINT joined with its CMD
	// has words of two arrays, in either order in the file.
	for i := len(a.Words) - 1; i > 0; i-- {
		if a.Head != nil && i <= a.Joined {
			break // the entrypoint's words are in another file
		}
		x, y := a.Words[i-1].Span, a.Words[i].Span
		if x.End > y.Start || i == a.Joined {
			continue
		}
		between := a.Doc.Src[x.End:y.Start]
		if bytes.ContainsAny(between, "[]") {
			continue
		}
		if !bytes.ContainsAny(between, "\r\n") && bytes.Count(between, []byte(",")) == 1 {
			return string(between)
		}
		break
	}
	return ", "
}

// argvAfterOpen reports whether off directly follows an array's "[" (white
// space aside), so an appended word needs no leading separator.
func argvAfterOpen(src []byte, off int) bool {
	for off > 0 && (src[off-1] == ' ' || src[off-1] == '\t') {
		off--
	}
	return off > 0 && src[off-1] == '['
}

// argvBareSafe reports whether a value can be written inside a word without
// any quoting in every form: JSON, YAML and the shell.
func argvBareSafe(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-:/@%+,", c) >= 0) {
			return false
		}
	}
	return true
}

// argvYAMLPlain reports whether s can be written as a plain YAML scalar and
// still be read as that string: no indicators or flow characters, and not a
// number, boolean or null (compose wants strings in a command).
func argvYAMLPlain(s string) bool {
	if !argvBareSafe(s) || strings.ContainsAny(s, ",") || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return false
	}
	if strings.HasPrefix(s, "@") || strings.HasPrefix(s, "%") {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == '_' || c == 'e' || c == 'E' || c == 'x' || c == 'o') {
			return true
		}
	}
	return false // looks numeric
}

// argvWholeLines reports whether [start, end) is all a continuation line
// holds: only blanks before start on its line, and after end at most a
// comma (in an array), blanks and the line-continuation character. It
// returns the span of the whole line, its line break included.
func argvWholeLines(src []byte, start, end int, comma bool) (int, int, bool) {
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	if ls > 0 && src[ls-1] != '\n' {
		return 0, 0, false
	}
	k := end
	skip := func() {
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
	}
	skip()
	if comma && k < len(src) && src[k] == ',' {
		k++
		skip()
	}
	if k >= len(src) || (src[k] != '\\' && src[k] != '`') {
		return 0, 0, false
	}
	k++
	skip()
	if k < len(src) && src[k] == '\r' {
		k++
	}
	if k >= len(src) || src[k] != '\n' {
		return 0, 0, false
	}
	return ls, k + 1, true
}

// argvLineBreak returns the text between the last two words that sit on
// different lines (", \\\n     " in a Dockerfile array, " \\\n  " in a shell
// line), if the command spans lines that way; breaks holding comments are
// not copied.
func argvLineBreak(a parsers.Argv) (string, bool) {
	for i := len(a.Words) - 1; i > 0; i-- {
		if a.Head != nil && i <= a.Joined {
			break // the entrypoint's words are in another file
		}
		if a.Words[i-1].Span.End > a.Words[i].Span.Start {
			continue // words of a quoted YAML scalar can share bytes
		}
		between := string(a.Doc.Src[a.Words[i-1].Span.End:a.Words[i].Span.Start])
		if i == a.Joined || a.Form == parsers.FormExec && strings.ContainsAny(between, "[]") {
			continue // an entrypoint's last word and its command's first
		}
		if strings.Contains(between, "\n") && !strings.Contains(between, "#") {
			return between, true
		}
	}
	return "", false
}
