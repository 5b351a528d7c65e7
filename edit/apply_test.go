package edit

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func edit(start, end int, text string) TextEdit {
	return TextEdit{Path: "f", Span: parsers.Span{Start: start, End: end}, New: text}
}

func TestApply(t *testing.T) {
	src := []byte("workers 3\r\ntimeout 30\r\n")
	got, err := Apply(src, []TextEdit{edit(19, 21, "60"), edit(8, 9, "8"), edit(0, 0, "# tuned\r\n")})
	if err != nil {
		t.Fatal(err)
	}
	if want := "# tuned\r\nworkers 8\r\ntimeout 60\r\n"; string(got) != want {
		t.Errorf("Apply = %q, want %q", got, want)
	}
}

func TestApplyRejects(t *testing.T) {
	src := []byte("0123456789")
	for name, es := range map[string][]TextEdit{
		"overlap":          {edit(1, 4, "x"), edit(3, 5, "y")},
		"same insertion":   {edit(2, 2, "x"), edit(2, 2, "y")},
		"out of bounds":    {edit(8, 11, "x")},
		"negative":         {edit(-1, 2, "x")},
		"end before start": {edit(5, 4, "x")},
	} {
		if _, err := Apply(src, es); err == nil {
			t.Errorf("%s: Apply accepted %v", name, es)
		}
	}
	// Adjacent edits do not overlap.
	if _, err := Apply(src, []TextEdit{edit(1, 3, "x"), edit(3, 5, "y"), edit(5, 5, "z")}); err != nil {
		t.Errorf("adjacent edits rejected: %v", err)
	}
}

// TestApplyEqualsSequential is the property that makes merging safe: for
// any set of non-overlapping edits, applying them at once equals applying
// them one by one from the end of the file backwards.
func TestApplyEqualsSequential(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 2000; iter++ {
		src := make([]byte, rng.Intn(40))
		for i := range src {
			src[i] = "ab\n\r\t #"[rng.Intn(7)]
		}
		// Random non-overlapping spans: cut points in increasing order.
		var es []TextEdit
		pos := 0
		for pos <= len(src) && rng.Intn(4) != 0 {
			start := pos + rng.Intn(len(src)-pos+1)
			end := start + rng.Intn(len(src)-start+1)
			es = append(es, edit(start, end, strings.Repeat("x", rng.Intn(3))))
			pos = end + 1
		}
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		got, err := Apply(src, es)
		if err != nil {
			t.Fatalf("valid edits %v rejected: %v", es, err)
		}
		want := append([]byte(nil), src...)
		sorted := append([]TextEdit(nil), es...)
		for i := range sorted { // sort descending by start
			for j := i + 1; j < len(sorted); j++ {
				if sorted[j].Span.Start > sorted[i].Span.Start {
					sorted[i], sorted[j] = sorted[j], sorted[i]
				}
			}
		}
		for _, e := range sorted {
			want = append(want[:e.Span.Start:e.Span.Start], append([]byte(e.New), want[e.Span.End:]...)...)
		}
		if string(got) != string(want) {
			t.Fatalf("Apply(%q, %v) = %q; sequential = %q", src, es, got, want)
		}
	}
}

func TestDiff(t *testing.T) {
	if d := Diff("x", []byte("a\n"), []byte("a\n")); d != "" {
		t.Errorf("equal files diff to %q", d)
	}
	d := Diff("nginx/nginx.conf", []byte("a\r\nb\r\n"), []byte("a\r\nc\r\n"))
	for _, want := range []string{"--- a/nginx/nginx.conf\n", "+++ b/nginx/nginx.conf\n", "-b\r\n", "+c\r\n"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	d = Diff("x", []byte("a\nb"), []byte("a\nc"))
	if !strings.Contains(d, "-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n") {
		t.Errorf("missing final newline not marked:\n%s", d)
	}
}

// Lines added after the last line of a file without a final line break
// leave it without one; a file with one keeps it.
func TestApplyKeepsNoFinalNewline(t *testing.T) {
	for _, c := range []struct{ src, new, want string }{
		{"a = 1", "\nb = 2\nc = 3\n", "a = 1\nb = 2\nc = 3"},
		{"a = 1", "\r\nb = 2\r\n", "a = 1\r\nb = 2"},
		{"a = 1\n", "b = 2\n", "a = 1\nb = 2\n"},
		{"a = 1", " # one", "a = 1 # one"},
	} {
		got, err := Apply([]byte(c.src), []TextEdit{edit(len(c.src), len(c.src), c.new)})
		if err != nil || string(got) != c.want {
			t.Errorf("Apply(%q, +%q) = %q, %v; want %q", c.src, c.new, got, err, c.want)
		}
	}
}
