package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as GitHub-flavoured Markdown.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	for i, bl := range layout(r) {
		if i > 0 {
			b.WriteString("\n")
		}
		switch x := bl.(type) {
		case heading:
			fmt.Fprintf(&b, "%s %s\n", strings.Repeat("#", x.level), mdInline(x.text))
		case para:
			b.WriteString(mdInline(x.text) + "\n")
		case items:
			for j, it := range x.items {
				mark := "-"
				if x.ordered {
					mark = fmt.Sprintf("%d.", j+1)
				}
				fmt.Fprintf(&b, "%s %s\n", mark, mdInline(it))
			}
		case table, chart:
			t := asTable(bl)
			row := func(cells []string) {
				b.WriteString("|")
				for _, c := range cells {
					b.WriteString(" " + strings.ReplaceAll(mdInline(c), "|", `\|`) + " |")
				}
				b.WriteString("\n")
			}
			row(t.head)
			b.WriteString("|")
			for j := range t.head {
				if j < len(t.right) && t.right[j] {
					b.WriteString("---:|")
				} else {
					b.WriteString("---|")
				}
			}
			b.WriteString("\n")
			for _, r := range t.rows {
				row(r)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdInline escapes what GitHub would read as markup outside the report's
// own `code` and **strong** spans: HTML tags and emphasis markers.
func mdInline(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 {
			b.WriteString("`" + part + "`")
			continue
		}
		strong := strings.Split(part, "**")
		for j, t := range strong {
			if j > 0 {
				b.WriteString("**")
			}
			b.WriteString(mdEscape(t))
		}
	}
	return b.String()
}

// mdEscape escapes plain text for GitHub: < (an HTML tag), * (emphasis),
// _ where it can open or close emphasis (at a word's edge), and ]( (a
// link).
func mdEscape(t string) string {
	t = mdReplacer.Replace(t)
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '_' && (i == 0 || !wordByte(t[i-1]) || i+1 == len(t) || !wordByte(t[i+1])) {
			b.WriteString(`\_`)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

var mdReplacer = strings.NewReplacer("<", "&lt;", "*", `\*`, "](", `]\(`)

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// asTable is a table as is, or a chart's bars as a table: Markdown on
// GitHub draws no SVG.
func asTable(bl block) table {
	if t, ok := bl.(table); ok {
		return t
	}
	c := bl.(chart)
	t := table{head: []string{c.title, c.unit}, right: []bool{false, true}}
	for _, br := range c.bars {
		v := sig(br.value)
		if br.over {
			v = "**" + v + "**"
		}
		if br.note != "" {
			v += " (" + br.note + ")"
		}
		t.rows = append(t.rows, []string{br.label, v})
	}
	return t
}
