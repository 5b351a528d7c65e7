package edit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
)

// PyValue is a Python value a fix writes: Src is the source of a scalar
// ("600", "True"); Dict, when set, is a dict literal to write instead.
type PyValue struct {
	Src  string
	Dict []PyEntry
}

// PyEntry is one key of a dict a fix writes. NoKwarg keeps it out of a
// dj_database_url call's keyword arguments (a keyword the installed
// version may not accept): a dict built by such a call gets it as its own
// `X["a"]["k"] = v` line instead.
type PyEntry struct {
	Key     string
	Value   PyValue
	NoKwarg bool
}

// PySrc is a scalar written as the given Python source.
func PySrc(src string) PyValue { return PyValue{Src: src} }

// PyDict is a dict literal value.
func PyDict(entries ...PyEntry) PyValue { return PyValue{Dict: entries} }

// PyKV is shorthand for a PyEntry.
func PyKV(key string, v PyValue) PyEntry { return PyEntry{Key: key, Value: v} }

// PythonSet sets keys of the dict at path (a module-level name and string
// keys: "DATABASES", "default", "OPTIONS") in the form the author used:
//
//   - a key already set gets its value replaced where it is written: the
//     literal in the dict entry or subscript assignment, the default of an
//     environment read (`env.int("X", default=0)`), or the keyword argument
//     of dj_database_url.config;
//   - missing keys go into the dict literal the container came from, on
//     lines of their own like their siblings (a one-line dict stays one
//     line), keeping quote style and the trailing-comma habit;
//   - or, where the author sets that dict's keys with subscript assignments
//     (or the dict comes from a call), as new `X["a"]["k"] = v` lines after
//     the last related one, or as keyword arguments of dj_database_url.
//
// Missing dicts along the path are created around the entries. All edits
// are returned together: they stand or fall as one fix.
func PythonSet(m *python.Module, path []string, entries ...PyEntry) ([]TextEdit, error) {
	return PythonSetIn(m.Namespace(), path, entries...)
}

// PythonSetIn is PythonSet on a settings module split over several files
// (python.Run): each edit goes to the file that wrote the value, the dict
// or the subscript lines it follows, so an override in production.py is
// edited there and a key only base.py's dict holds is edited in base.py.
func PythonSetIn(m *python.Namespace, path []string, entries ...PyEntry) ([]TextEdit, error) {
	if len(path) == 0 || len(entries) == 0 {
		return nil, errors.New("python fix: empty path or nothing to set")
	}
	// Find the deepest existing dict on the path; wrap the rest around the
	// entries.
	depth := len(path)
	for depth > 0 && !m.Lookup(path[0], path[1:depth]...).IsDict() {
		depth--
	}
	if depth == 0 {
		return nil, fmt.Errorf("python fix: %s is not a dict this module builds", path[0])
	}
	for i := len(path) - 1; i >= depth; i-- {
		entries = []PyEntry{{Key: path[i], Value: PyDict(entries...)}}
	}
	path = path[:depth]
	container := m.Lookup(path[0], path[1:]...)

	var edits []TextEdit
	var missing []PyEntry
	for _, e := range entries {
		cur := container.Get(e.Key)
		if cur == nil {
			missing = append(missing, e)
			continue
		}
		if e.Value.Dict != nil && cur.IsDict() {
			more, err := PythonSetIn(m, append(append([]string(nil), path...), e.Key), e.Value.Dict...)
			if err != nil {
				return nil, err
			}
			edits = append(edits, more...)
			continue
		}
		ed, err := PythonSetValue(cur.Doc(), cur, e.Value.render(cur.Doc(), "", "", keyQuote(m, path)))
		if err != nil {
			return nil, fmt.Errorf("python fix: %s.%s: %w", strings.Join(path, "."), e.Key, err)
		}
		edits = append(edits, ed)
	}
	if len(missing) > 0 {
		ins, err := pythonInsert(m, path, container, missing)
		if err != nil {
			return nil, err
		}
		edits = append(edits, ins...)
	}
	return edits, nil
}

// PythonSetValue replaces the value an Object holds, in its form: the
// default of an environment read (a read with no default gets one), else
// the literal itself. src is a Python
// literal ("600", "True"). Values computed some other way are refused: a
// fix must not throw away what the author wrote.
func PythonSetValue(doc *parsers.Document, o *python.Object, src string) (TextEdit, error) {
	v := o.Value()
	switch v.Kind {
	case python.Literal:
		if o.Expr.Kind == "identifier" {
			break // a name bound elsewhere: the value is not written here
		}
		return TextEdit{Path: doc.Path, Span: o.Expr.Span, New: src}, nil
	case python.EnvDefault:
		return PythonSetEnvDefault(doc, v, src)
	case python.EnvRequired:
		if v.Call == nil {
			return TextEdit{}, fmt.Errorf("read from $%s with no default", v.Var)
		}
		return PythonSetEnvDefault(doc, v, src)
	}
	if o.Expr == nil {
		return TextEdit{}, errors.New("no value written")
	}
	return TextEdit{}, fmt.Errorf("computed by %q", doc.Text(o.Expr.Span))
}

// PythonSetEnvDefault sets the default of an environment read to the
// literal src, in the default's own form: a string default stays a string
// with its quotes (`os.environ.get("X", "0")` becomes "600"). A read with no
// default gets one: positional for os.environ.get/os.getenv, `default=`
// for django-environ and decouple.
func PythonSetEnvDefault(doc *parsers.Document, v python.Value, src string) (TextEdit, error) {
	if v.Kind != python.EnvDefault && v.Kind != python.EnvRequired {
		return TextEdit{}, errors.New("not an environment read")
	}
	if v.Default != nil {
		if d := v.Default.Value; d.Kind == python.Literal && d.Lit.Kind == python.Str {
			return TextEdit{Path: doc.Path, Span: v.Default.Span, New: quoteAs(src, d.Lit.Quote)}, nil
		}
		return TextEdit{Path: doc.Path, Span: v.Default.Span, New: src}, nil
	}
	if v.Call == nil {
		return TextEdit{}, errors.New("no call to add a default to")
	}
	switch v.Call.Func {
	case "os.environ.get", "environ.get", "os.getenv", "getenv":
		if v.Cast != "" {
			src = quoteAs(src, '"') // the environment gives strings; the cast converts both alike
		}
		return PythonInsertArg(doc, v.Call, "", src), nil
	}
	return PythonInsertArg(doc, v.Call, "default", src), nil
}

// quoteAs writes a scalar literal as a string literal with quote q, the way
// an environment default is written ("600", "True" -> "true" stays as is).
func quoteAs(src string, q byte) string {
	src = strings.Trim(src, `'"`)
	return string(q) + src + string(q)
}

// PythonInsertArg adds an argument (keyword when name is set) at the end of
// a call, after a comma where needed.
func PythonInsertArg(doc *parsers.Document, c *python.Call, name, src string) TextEdit {
	return PythonInsertArgs(doc, c, [2]string{name, src})
}

// PythonInsertArgs adds arguments ({name, src}; name "" for positional) at
// the end of a call in one edit. A call laid out one argument per line with
// a trailing comma gets one line per new argument.
func PythonInsertArgs(doc *parsers.Document, c *python.Call, args ...[2]string) TextEdit {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = a[1]
		if a[0] != "" {
			words[i] = a[0] + "=" + a[1]
		}
	}
	insert := func(at int, s string) TextEdit {
		return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: s}
	}
	if len(c.Args) == 0 {
		return insert(c.Open+1, strings.Join(words, ", "))
	}
	last := c.Args[len(c.Args)-1]
	if !strings.HasSuffix(doc.Text(last.Span), ",") {
		return insert(last.Span.End, ", "+strings.Join(words, ", "))
	}
	if doc.Position(c.Open).Line == doc.Position(c.Close).Line {
		return insert(last.Span.End, " "+strings.Join(words, ", ")+",")
	}
	indent := siblingIndent(doc, last.Span.Start)
	var sb strings.Builder
	for _, w := range words {
		sb.WriteString(doc.Newline() + indent + w + ",")
	}
	return insert(endOfLine(doc, last.Span.End), sb.String())
}

// PythonInsertEntries inserts entries into a dict literal, like its
// siblings: a multi-line dict gets one line per new key (indented as the
// last entry, trailing commas as the author writes them); a one-line dict
// stays on one line. Keys are quoted as the dict's keys are (quote is the
// fallback for a dict with no string keys).
func PythonInsertEntries(doc *parsers.Document, d *python.Dict, quote byte, entries ...PyEntry) []TextEdit {
	if q := d.KeyQuote(); q != 0 {
		quote = q
	}
	if quote == 0 {
		quote = '"'
	}
	nl := doc.Newline()
	edit := func(at int, s string) TextEdit {
		return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: s}
	}
	if !d.Multiline(doc) {
		parts := make([]string, len(entries))
		for i, e := range entries {
			parts[i] = quoteKey(e.Key, quote) + ": " + e.Value.render(doc, "", "", quote)
		}
		s := strings.Join(parts, ", ")
		if len(d.Entries) == 0 && len(d.Splats) == 0 {
			return []TextEdit{edit(d.Open+1, s)}
		}
		end := lastItemEnd(d)
		if d.TrailingComma {
			return []TextEdit{edit(end, " "+s+",")}
		}
		return []TextEdit{edit(end, ", "+s)}
	}

	comma := ""
	if d.TrailingComma || len(d.Entries) == 0 && len(d.Splats) == 0 {
		comma = ","
	}
	if len(d.Entries) == 0 && len(d.Splats) == 0 {
		closeIndent := lineIndentAt(doc, d.Close)
		indent := closeIndent + indentUnit(doc, closeIndent, "")
		var sb strings.Builder
		for _, e := range entries {
			sb.WriteString(nl + indent + quoteKey(e.Key, quote) + ": " + e.Value.render(doc, indent, indentUnit(doc, closeIndent, indent), quote) + comma)
		}
		return []TextEdit{edit(d.Open+1, sb.String())}
	}

	end := lastItemEnd(d)
	indent := siblingIndent(doc, lastItemStart(d))
	unit := indentUnit(doc, lineIndentAt(doc, d.Open), indent)
	var sb strings.Builder
	for i, e := range entries {
		if i > 0 && comma == "" {
			sb.WriteString(",")
		}
		sb.WriteString(nl + indent + quoteKey(e.Key, quote) + ": " + e.Value.renderComma(doc, indent, unit, quote, d.TrailingComma) + comma)
	}
	var edits []TextEdit
	if !d.TrailingComma {
		// The comma goes right after the last value, before any comment.
		edits = append(edits, edit(end, ","))
	}
	at := endOfLine(doc, end)
	if at != end || d.TrailingComma {
		edits = append(edits, edit(at, sb.String()))
	} else {
		edits = []TextEdit{edit(end, ","+sb.String())}
	}
	return edits
}

// PythonInsertAssignments adds `name["k1"]["k2"] = v` lines after the
// statement after, with its indentation and quote style.
func PythonInsertAssignments(doc *parsers.Document, after *python.Statement, name string, quote byte, keys []string, entries ...PyEntry) TextEdit {
	if quote == 0 {
		quote = '"'
	}
	nl := doc.Newline()
	var sb strings.Builder
	at := after.LineEnd
	if at == len(doc.Src) && (at == 0 || doc.Src[at-1] != '\n') {
		sb.WriteString(nl)
	}
	prefix := name
	for _, k := range keys {
		prefix += "[" + quoteKey(k, quote) + "]"
	}
	for _, e := range entries {
		sb.WriteString(after.Indent + prefix + "[" + quoteKey(e.Key, quote) + "] = " + e.Value.render(doc, "", "", quote) + nl)
	}
	return TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: sb.String()}
}

// pythonInsert adds missing keys to the dict at path in the author's form.
func pythonInsert(m *python.Namespace, path []string, container *python.Object, entries []PyEntry) ([]TextEdit, error) {
	doc := container.Doc()
	quote := keyQuote(m, path)
	// Keys of this dict already set by subscript assignments: follow them.
	if st := lastRelated(m, path, true, container); st != nil {
		return []TextEdit{PythonInsertAssignments(st.Doc, st, path[0], st.KeyQuote, path[1:], entries...)}, nil
	}
	if container.Dict != nil {
		return PythonInsertEntries(doc, container.Dict, quote, entries...), nil
	}
	if container.Call != nil {
		if args, ok := callArgs(container.Call, entries); ok {
			return []TextEdit{PythonInsertArgs(doc, container.Call, args...)}, nil
		}
	}
	for _, e := range entries {
		if e.Value.Dict != nil && container.Open {
			// The call or splat that built the container may set this key:
			// assigning a new dict would drop what it holds.
			return nil, fmt.Errorf("python fix: %s may already hold %q; not replacing it", strings.Join(path, "."), e.Key)
		}
	}
	if st := lastRelated(m, path, false, container); st != nil {
		return []TextEdit{PythonInsertAssignments(st.Doc, st, path[0], quote, path[1:], entries...)}, nil
	}
	return nil, fmt.Errorf("python fix: no place to add keys to %s", strings.Join(path, "."))
}

// callArgs maps entries to dj_database_url keyword arguments.
func callArgs(c *python.Call, entries []PyEntry) ([][2]string, bool) {
	if !strings.HasPrefix(c.Func, "dj_database_url.") {
		return nil, false
	}
	kw := map[string]string{"CONN_MAX_AGE": "conn_max_age", "CONN_HEALTH_CHECKS": "conn_health_checks"}
	var out [][2]string
	for _, e := range entries {
		name, ok := kw[e.Key]
		if !ok || e.Value.Dict != nil || e.NoKwarg {
			return nil, false
		}
		out = append(out, [2]string{name, e.Value.Src})
	}
	return out, true
}

// lastRelated finds the last unconditional statement that sets a key of
// the dict at path (onlyKeys) or touches the dict or anything under it,
// from the statement that bound the container in effect on: one before it
// touched a dict a later statement (a conditional block's) replaced, and a
// key added there would not be seen.
func lastRelated(m *python.Namespace, path []string, onlyKeys bool, container *python.Object) *python.Statement {
	var found *python.Statement
	after := container == nil || container.Stmt == nil
	for _, st := range m.Statements {
		if !after {
			if st != container.Stmt {
				continue
			}
			after = true
		}
		if st.Conditional || st.Name != path[0] {
			continue
		}
		keys := path[1:]
		if onlyKeys {
			if st.Op == "=" && len(st.Keys) == len(keys)+1 && hasPrefix(st.Keys, keys) {
				found = st
			}
			continue
		}
		if hasPrefix(st.Keys, keys) || hasPrefix(keys, st.Keys) {
			found = st
		}
	}
	return found
}

func hasPrefix(keys, prefix []string) bool {
	if len(keys) < len(prefix) {
		return false
	}
	for i := range prefix {
		if keys[i] != prefix[i] {
			return false
		}
	}
	return true
}

// keyQuote is the quote style of the dicts along path, innermost first.
func keyQuote(m *python.Namespace, path []string) byte {
	for i := len(path); i >= 1; i-- {
		if o := m.Lookup(path[0], path[1:i]...); o != nil && o.Dict != nil {
			if q := o.Dict.KeyQuote(); q != 0 {
				return q
			}
		}
	}
	for _, st := range m.Statements {
		if st.KeyQuote != 0 {
			return st.KeyQuote
		}
	}
	return '"'
}

func quoteKey(k string, q byte) string {
	k = strings.ReplaceAll(k, `\`, `\\`)
	k = strings.ReplaceAll(k, string(q), `\`+string(q))
	return string(q) + k + string(q)
}

// render writes a value; a dict is written one key per line at
// indent+unit (closing at indent) when unit is set, else on one line.
func (v PyValue) render(doc *parsers.Document, indent, unit string, quote byte) string {
	return v.renderComma(doc, indent, unit, quote, true)
}

// renderComma renders v; trailing says whether the last key of a
// multi-line dict gets a comma (the author's habit).
func (v PyValue) renderComma(doc *parsers.Document, indent, unit string, quote byte, trailing bool) string {
	if v.Dict == nil {
		return v.Src
	}
	if unit == "" {
		parts := make([]string, len(v.Dict))
		for i, e := range v.Dict {
			parts[i] = quoteKey(e.Key, quote) + ": " + e.Value.render(doc, "", "", quote)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	nl := doc.Newline()
	var sb strings.Builder
	sb.WriteString("{")
	inner := indent + unit
	for i, e := range v.Dict {
		sb.WriteString(nl + inner + quoteKey(e.Key, quote) + ": " + e.Value.renderComma(doc, inner, unit, quote, trailing))
		if trailing || i < len(v.Dict)-1 {
			sb.WriteString(",")
		}
	}
	sb.WriteString(nl + indent + "}")
	return sb.String()
}

func lastItemEnd(d *python.Dict) int {
	end := 0
	if n := len(d.Entries); n > 0 {
		end = d.Entries[n-1].Span.End
	}
	for _, s := range d.Splats {
		if s.End > end {
			end = s.End
		}
	}
	return end
}

func lastItemStart(d *python.Dict) int {
	start := 0
	if n := len(d.Entries); n > 0 {
		start = d.Entries[n-1].Span.Start
	}
	for _, s := range d.Splats {
		if s.Start > start {
			start = s.Start
		}
	}
	return start
}

// lineIndentAt is the leading whitespace of the line holding off.
func lineIndentAt(doc *parsers.Document, off int) string { return doc.Indentation(off) }

// siblingIndent is the indentation that puts a new line's text under the
// item at off: the line's indentation when the item starts its line, else
// whitespace up to the item's column (a hanging `X = {'a': 1,` layout).
func siblingIndent(doc *parsers.Document, off int) string {
	lineStart := doc.Offset(doc.Position(off).Line, 1)
	indent := doc.Indentation(off)
	if lineStart+len(indent) == off {
		return indent
	}
	var sb strings.Builder
	sb.WriteString(indent)
	for i := lineStart + len(indent); i < off; i++ {
		sb.WriteByte(' ')
	}
	return sb.String()
}

// indentUnit is one level of indentation: what the entries add to the
// dict's opening line, or (for a dict with none) a tab in a tab-indented
// file and four spaces otherwise.
func indentUnit(doc *parsers.Document, outer, inner string) string {
	if strings.HasPrefix(inner, outer) && len(inner) > len(outer) {
		return inner[len(outer):]
	}
	if strings.Contains(outer, "\t") || strings.Contains(inner, "\t") {
		return "\t"
	}
	return "    "
}

// endOfLine returns the offset of the line terminator after off when only
// whitespace or a comment follows off on its line; else off itself.
func endOfLine(doc *parsers.Document, off int) int {
	i := off
	for i < len(doc.Src) && (doc.Src[i] == ' ' || doc.Src[i] == '\t') {
		i++
	}
	if i < len(doc.Src) && doc.Src[i] == '#' {
		for i < len(doc.Src) && doc.Src[i] != '\n' {
			i++
		}
	} else if i < len(doc.Src) && doc.Src[i] != '\n' && doc.Src[i] != '\r' {
		return off
	}
	if i > off && doc.Src[i-1] == '\r' {
		i--
	}
	return i
}

// PythonRemoveStatement removes a module-level statement that has its
// lines to itself (it starts a line, and only whitespace or a comment
// follows it), line terminator included. false when it shares a line
// with other code.
func PythonRemoveStatement(doc *parsers.Document, st *python.Statement) (TextEdit, bool) {
	start := st.Span.Start
	if start < 0 || start > len(doc.Src) || doc.Position(start).Column != 1 {
		return TextEdit{}, false
	}
	end := endOfLine(doc, st.Span.End)
	if end == st.Span.End && end < len(doc.Src) && doc.Src[end] != '\n' && doc.Src[end] != '\r' {
		return TextEdit{}, false
	}
	if end < len(doc.Src) && doc.Src[end] == '\r' {
		end++
	}
	if end < len(doc.Src) && doc.Src[end] == '\n' {
		end++
	}
	return TextEdit{Path: doc.Path, Span: parsers.Span{Start: start, End: end}}, true
}
