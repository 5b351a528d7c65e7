package accuracy

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/rules"
)

const corpus = "../../testdata/corpus"

// The corpus loads, every label names a real rule and a file of its
// project, its lines exist, and every file is listed in SOURCES.md.
func TestCorpusLoads(t *testing.T) {
	ps, err := LoadCorpus(corpus)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 {
		t.Fatal("no projects")
	}
	sources, err := os.ReadFile(filepath.Join(corpus, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if _, err := os.Stat(filepath.Join(p.Dir, "LICENSE")); err != nil {
			t.Errorf("%s: no LICENSE", p.Name)
		}
		for _, l := range p.Labels {
			if _, ok := rules.Lookup(l.Rule); !ok {
				t.Errorf("%s/labels.tsv:%d: no rule %s", p.Name, l.Line, l.Rule)
			}
			for _, pl := range l.Places {
				src, err := os.ReadFile(filepath.Join(p.Dir, filepath.FromSlash(pl.File)))
				if err != nil {
					t.Errorf("%s/labels.tsv:%d: %v", p.Name, l.Line, err)
					continue
				}
				if n := bytes.Count(src, []byte("\n")) + 1; pl.To > n {
					t.Errorf("%s/labels.tsv:%d: %s has %d lines, label ends at %d", p.Name, l.Line, pl.File, n, pl.To)
				}
			}
		}
		filepath.WalkDir(p.Dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(corpus, path)
			rel = filepath.ToSlash(rel)
			if strings.HasSuffix(rel, "/labels.tsv") {
				return nil
			}
			if !bytes.Contains(sources, []byte("| "+rel+" |")) {
				t.Errorf("%s is not listed in SOURCES.md", rel)
			}
			return nil
		})
	}
}

func TestScore(t *testing.T) {
	p := Project{Name: "p", Labels: []Label{
		{Rule: "HR101", Places: []Place{{"Dockerfile", 3, 4}, {"g.py", 7, 7}}, Fire: true, Why: "x"},
		{Rule: "HR103", Places: []Place{{"Dockerfile", 3, 3}}, Fire: true, Why: "x"},
		{Rule: "HR201", Places: []Place{{"s.py", 10, 12}}, Why: "x"},
		{Rule: "HR202", Places: []Place{{"s.py", 10, 12}}, Why: "x"},
	}}
	fs := []Finding{
		{Rule: "HR101", File: "Dockerfile", Line: 4}, // TP
		{Rule: "HR101", File: "g.py", Line: 7},       // TP: the label's other place
		{Rule: "HR101", File: "Dockerfile", Line: 9}, // FP: no label there
		{Rule: "HR201", File: "s.py", Line: 11},      // FP: labelled quiet
		{Rule: "HR999", File: "s.py", Line: 1},       // unscored
	}
	res := &Result{ByRule: map[string]*Counts{}}
	Score(p, fs, res)
	for _, c := range res.ByRule {
		res.Total.add(*c)
	}
	got := res.Total
	want := Counts{TP: 2, FP: 2, Hit: 1, FN: 1, TN: 1, Unscored: 1, FireLabels: 2, QuietLabels: 2, QuietBroken: 1}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if len(res.Disagreements) != 3 {
		t.Errorf("%d disagreements, want 3", len(res.Disagreements))
	}
}
