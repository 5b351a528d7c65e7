package report

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/rules"
)

// wingmanHTML writes the HTML report of the example stack to a file and
// returns its path and the report.
func wingmanHTML(t *testing.T) (string, *Report) {
	t.Helper()
	t.Chdir("..")
	r := Build(wingman(t), Options{Assumptions: DefaultAssumptions(), Rules: rules.All()})
	var b bytes.Buffer
	if err := HTML(&b, r); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return page, r
}

// chartBars counts the bars the report's charts draw: within their limit
// (ColourBar) and over it (ColourOver).
func chartBars(r *Report) (within, over int) {
	for _, bl := range layout(r) {
		if c, ok := bl.(chart); ok {
			for _, b := range c.bars {
				if b.over {
					over++
				} else {
					within++
				}
			}
		}
	}
	return within, over
}

// TestHTMLInChromium loads the HTML report of the example stack in
// headless Chromium: nothing reaches the console (no error, no blocked
// load: the page's Content Security Policy turns any reference to a
// script, font or URL into a logged error), and the DOM Chromium built
// holds both charts with every bar. A page that logs an error is caught
// the same way, so the check can fail.
func TestHTMLInChromium(t *testing.T) {
	chromium := realtools.FindChromium(t)
	page, r := wingmanHTML(t)
	dom, console := chromium.Load(t, page)
	if len(console) > 0 {
		t.Errorf("the report logs to the browser console:\n%s", strings.Join(console, "\n"))
	}
	within, over := chartBars(r)
	if within+over != 8 || over != 2 {
		t.Errorf("wingman's charts have %d bars within and %d over their limit; want 4 throughput bars, 4 budget bars, 2 over (PostgreSQL now and after phase 1: the pool is unsafe there)", within, over)
	}
	if n := strings.Count(dom, `<svg class="chart"`); n != 2 {
		t.Errorf("the DOM has %d charts, want 2", n)
	}
	if n := strings.Count(dom, `<rect class="bar"`); n != within+over {
		t.Errorf("the DOM has %d bars, want %d", n, within+over)
	}
	if !strings.Contains(dom, "<h2>Estimated capacity</h2>") {
		t.Error("the DOM lacks the Estimated capacity section")
	}

	bad := filepath.Join(t.TempDir(), "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><img src="https://example.com/x.png"></body></html>`), 0o644)
	if _, console := chromium.Load(t, bad); len(console) == 0 {
		t.Error("a page whose image load the policy blocks logged nothing: the console check cannot fail")
	}
}

// TestHTMLScreenshot renders the report and finds the charts' bars in the
// screenshot: one band of rows per bar in exactly the bar colours, as
// many as the charts draw, so an SVG that does not render (or renders
// empty) fails.
func TestHTMLScreenshot(t *testing.T) {
	chromium := realtools.FindChromium(t)
	page, r := wingmanHTML(t)
	img := chromium.Screenshot(t, page, 1280, 2000)
	within, over := chartBars(r)
	if got := bands(img, parseHex(ColourBar)); got != within {
		t.Errorf("%d bars in %s on the screenshot, want %d", got, ColourBar, within)
	}
	if got := bands(img, parseHex(ColourOver)); got != over {
		t.Errorf("%d bars in %s on the screenshot, want %d", got, ColourOver, over)
	}
	// Not blank: the page draws more than its background.
	colours := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			colours[rgba(img.At(x, y))] = true
		}
	}
	if len(colours) < 10 {
		t.Errorf("the screenshot has %d colours: blank", len(colours))
	}
}

// bands counts the runs of consecutive rows holding at least 3 pixels of
// exactly c: a bar 22 pixels high is one run, and bars are 10 apart.
func bands(img image.Image, c color.RGBA) int {
	b := img.Bounds()
	n, in := 0, false
	for y := b.Min.Y; y < b.Max.Y; y++ {
		count := 0
		for x := b.Min.X; x < b.Max.X && count < 3; x++ {
			if rgba(img.At(x, y)) == c {
				count++
			}
		}
		if count >= 3 && !in {
			n++
		}
		in = count >= 3
	}
	return n
}

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func parseHex(s string) color.RGBA {
	var v [3]uint8
	for i := range v {
		h := s[1+2*i : 3+2*i]
		for _, ch := range h {
			v[i] = v[i]*16 + uint8(strings.IndexRune("0123456789abcdef", ch))
		}
	}
	return color.RGBA{v[0], v[1], v[2], 255}
}
