package parsers

import (
	"regexp"
	"strings"
)

// Template placeholders: a Jinja or Django template's `{{ expression }}`
// and `{% tag %}` (cookiecutter and `startproject` templates, Ansible
// roles), each on one line. Before the template is rendered they stand for
// values nobody knows yet; headroom reads them as opaque values.
var placeholder = regexp.MustCompile(`\{\{.*?\}\}|\{%.*?%\}`)

// blockTag matches a tag that makes the lines around it conditional,
// repeated or replaced (`{% if %}`, `{% for %}`, `{% include %}`, ...):
// what such a file deploys is only known once it is rendered.
var blockTag = regexp.MustCompile(`\{%-?\s*(if|elif|else|for|set|block|include|extends|import|from|raw|macro|call|filter|with|endif|endfor|endblock|endmacro|endraw|endwith)\b`)

// TemplateSpans returns the spans of the template placeholders in src, in
// order.
func TemplateSpans(src []byte) []Span {
	if !hasTemplateMark(src) {
		return nil
	}
	var out []Span
	for _, m := range placeholder.FindAllIndex(src, -1) {
		out = append(out, Span{Start: m[0], End: m[1]})
	}
	return out
}

func hasTemplateMark(src []byte) bool {
	s := string(src)
	return strings.Contains(s, "{{") || strings.Contains(s, "{%")
}

// HasTemplateBlocks reports whether src holds a template tag that makes
// some of its lines conditional or repeated: a file headroom cannot read
// until it is rendered.
func HasTemplateBlocks(src []byte) bool {
	return hasTemplateMark(src) && blockTag.Match(src)
}

// MaskTemplates returns src with every byte of each template placeholder
// that is not a letter, digit, `_` or `.` turned into `_`
// (`{{ cookiecutter.project_slug }}` reads `___cookiecutter.project_slug___`):
// one opaque word of the same length, so a parser that splits on spaces or
// braces keeps it whole and every offset stays where it is. src itself is
// never changed; without placeholders it is returned as is.
func MaskTemplates(src []byte) []byte {
	spans := TemplateSpans(src)
	if len(spans) == 0 {
		return src
	}
	out := append([]byte(nil), src...)
	for _, sp := range spans {
		for i := sp.Start; i < sp.End; i++ {
			if c := out[i]; !(c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				out[i] = '_'
			}
		}
	}
	return out
}

// Unmask puts the placeholders of orig back into value, a string read from
// masked text (MaskTemplates(orig)) between the offsets start and end.
func Unmask(orig, masked []byte, value string, start, end int) string {
	for _, sp := range TemplateSpans(orig[start:end]) {
		m := string(masked[start+sp.Start : start+sp.End])
		value = strings.Replace(value, m, string(orig[start+sp.Start:start+sp.End]), 1)
	}
	return value
}

// TouchesTemplate reports whether an edit of span in src would change or
// split a template placeholder: an edit overlapping one, or an insertion
// strictly inside one. Rendering would then no longer give what the author
// wrote.
func TouchesTemplate(src []byte, span Span) bool {
	for _, sp := range TemplateSpans(src) {
		if span.Len() == 0 {
			if span.Start > sp.Start && span.Start < sp.End {
				return true
			}
			continue
		}
		if span.Overlaps(sp) {
			return true
		}
	}
	return false
}
