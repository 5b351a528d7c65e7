package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// The colours of the charts' bars: within a limit, over it. The browser
// test counts pixels of exactly these.
const (
	ColourBar  = "#2b6cb0"
	ColourOver = "#c53030"
)

// css is the page's only style: inline, no web font.
const css = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a202c;margin:0;background:#f7fafc}
main{max-width:1100px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:26px;border-bottom:2px solid #2c5282;padding-bottom:6px}
h2{font-size:21px;margin-top:32px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}
h3{font-size:17px;margin-top:24px}h4{font-size:15px}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#edf2f7;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:12px 0;font-size:14px}
th,td{border:1px solid #e2e8f0;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#edf2f7}td.n{text-align:right;white-space:nowrap}
svg.chart{display:block;margin:12px 0}
svg.chart text{font:12px system-ui,sans-serif;fill:#1a202c}
svg.chart .title{font-weight:600;font-size:13px}`

// HTML writes the report as one self-contained page: inline CSS and SVG
// charts, no script, no font or image from anywhere. Its Content Security
// Policy forbids loading anything, so a reference that slipped in would be
// blocked (and logged by the browser) rather than fetched.
func HTML(w io.Writer, r *Report) error {
	var b strings.Builder
	title := "Capacity report"
	blocks := layout(r)
	if h, ok := blocks[0].(heading); ok {
		title = h.text
	}
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>\n%s\n</style>\n</head>\n<body>\n<main>\n", html.EscapeString(strings.ReplaceAll(title, "`", "")), css)
	for _, bl := range blocks {
		switch x := bl.(type) {
		case heading:
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", x.level, htmlInline(x.text), x.level)
		case para:
			fmt.Fprintf(&b, "<p>%s</p>\n", htmlInline(x.text))
		case items:
			tag := "ul"
			if x.ordered {
				tag = "ol"
			}
			fmt.Fprintf(&b, "<%s>\n", tag)
			for _, it := range x.items {
				fmt.Fprintf(&b, "<li>%s</li>\n", htmlInline(it))
			}
			fmt.Fprintf(&b, "</%s>\n", tag)
		case table:
			b.WriteString("<table>\n<thead><tr>")
			for _, h := range x.head {
				fmt.Fprintf(&b, "<th>%s</th>", htmlInline(h))
			}
			b.WriteString("</tr></thead>\n<tbody>\n")
			for _, row := range x.rows {
				b.WriteString("<tr>")
				for j, c := range row {
					class := ""
					if j < len(x.right) && x.right[j] {
						class = ` class="n"`
					}
					fmt.Fprintf(&b, "<td%s>%s</td>", class, htmlInline(c))
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</tbody>\n</table>\n")
		case chart:
			svgChart(&b, x)
		}
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// htmlInline escapes text and turns the report's `code` and **strong**
// spans into elements.
func htmlInline(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + html.EscapeString(part) + "</code>")
			continue
		}
		for j, t := range strings.Split(part, "**") {
			if j%2 == 1 {
				b.WriteString("<strong>" + html.EscapeString(t) + "</strong>")
			} else {
				b.WriteString(html.EscapeString(t))
			}
		}
	}
	return b.String()
}

// svgChart draws a horizontal bar chart: one bar per value, a label on
// the left, the value at the bar's end, and a dashed line at a bar's
// limit.
func svgChart(b *strings.Builder, c chart) {
	const (
		width, labelW, barH, gap, top, right = 900, 320, 22, 10, 28, 180
	)
	if len(c.bars) == 0 {
		return
	}
	scale := 0.0
	for _, br := range c.bars {
		scale = math.Max(scale, math.Max(br.value, br.limit))
	}
	if scale <= 0 {
		scale = 1
	}
	plotW := float64(width - labelW - right)
	height := top + len(c.bars)*(barH+gap) + 4
	fmt.Fprintf(b, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n", width, height, width, height, html.EscapeString(c.title))
	fmt.Fprintf(b, "<text class=\"title\" x=\"0\" y=\"16\">%s (%s)</text>\n", html.EscapeString(c.title), html.EscapeString(c.unit))
	for i, br := range c.bars {
		y := top + i*(barH+gap)
		w := plotW * br.value / scale
		fill := ColourBar
		if br.over {
			fill = ColourOver
		}
		fmt.Fprintf(b, "<text x=\"0\" y=\"%d\">%s</text>\n", y+barH-6, html.EscapeString(br.label))
		fmt.Fprintf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", labelW, y, w, barH, fill)
		value := sig(br.value)
		if br.note != "" {
			value += " (" + br.note + ")"
		}
		fmt.Fprintf(b, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", float64(labelW)+w+6, y+barH-6, html.EscapeString(value))
		if br.limit > 0 {
			x := float64(labelW) + plotW*br.limit/scale
			fmt.Fprintf(b, "<line class=\"limit\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1a202c\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n", x, y-3, x, y+barH+3)
		}
	}
	b.WriteString("</svg>\n")
}
