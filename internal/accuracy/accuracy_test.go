package accuracy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/rules"
)

// The tuned corpus and the sets nobody tuned for.
var corpora = []string{"../../testdata/corpus", "../../testdata/corpus-heldout", "../../testdata/corpus-fresh", "../../testdata/corpus-blind"}

// Each corpus loads, every label names a real rule and a file of its
// project, its lines exist, and every file is listed in SOURCES.md; no
// project and no repository (sources.tsv) is in two corpora.
func TestCorpusLoads(t *testing.T) {
	seen, seenRepo := map[string]string{}, map[string]string{}
	for _, corpus := range corpora {
		t.Run(filepath.Base(corpus), func(t *testing.T) {
			checkCorpus(t, corpus)
		})
		ps, _ := LoadCorpus(corpus)
		for _, p := range ps {
			if other, ok := seen[p.Name]; ok {
				t.Errorf("project %s is in %s and %s", p.Name, other, corpus)
			}
			seen[p.Name] = corpus
		}
		tsv, err := os.ReadFile(filepath.Join(corpus, "sources.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		repos := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(string(tsv)), "\n") {
			cols := strings.Split(line, "\t")
			if len(cols) != 6 {
				t.Fatalf("%s/sources.tsv: %q: want 6 columns", corpus, line)
			}
			repos[cols[2]] = true
		}
		for repo := range repos {
			if other, ok := seenRepo[repo]; ok {
				t.Errorf("repository %s is in %s and %s", repo, other, corpus)
			}
			seenRepo[repo] = corpus
		}
	}
}

func checkCorpus(t *testing.T, corpus string) {
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

// Merge adds the counts of both corpora rule by rule, recomputes the
// totals, and keeps every crash, load error and disagreement.
func TestMerge(t *testing.T) {
	a := &Result{Projects: 2,
		ByRule:        map[string]*Counts{"HR101": {TP: 2, FN: 1, Hit: 2, FireLabels: 3}},
		Crashes:       map[string]string{},
		Exit2:         map[string][]error{"p1": {errors.New("bad")}},
		Disagreements: []Disagreement{{Project: "p1", Kind: "false negative"}},
	}
	b := &Result{Projects: 3,
		ByRule: map[string]*Counts{
			"HR101": {TP: 1, FP: 1, Hit: 1, FireLabels: 1, QuietLabels: 1, QuietBroken: 1},
			"HR402": {TN: 2, QuietLabels: 2, Unscored: 4},
		},
		Crashes:       map[string]string{"q1": "panic: x"},
		Exit2:         map[string][]error{},
		Disagreements: []Disagreement{{Project: "q1", Kind: "false positive"}},
	}
	m := Merge(a, b)
	if m.Projects != 5 {
		t.Errorf("projects %d, want 5", m.Projects)
	}
	if got, want := *m.ByRule["HR101"], (Counts{TP: 3, FP: 1, FN: 1, Hit: 3, FireLabels: 4, QuietLabels: 1, QuietBroken: 1}); got != want {
		t.Errorf("HR101 %+v, want %+v", got, want)
	}
	want := Counts{TP: 3, FP: 1, FN: 1, Hit: 3, TN: 2, Unscored: 4, FireLabels: 4, QuietLabels: 3, QuietBroken: 1}
	if m.Total != want {
		t.Errorf("total %+v, want %+v", m.Total, want)
	}
	if p, r := m.Total.Precision(), m.Total.Recall(); p != 0.75 || r != 0.75 {
		t.Errorf("precision %v recall %v, want 0.75 and 0.75", p, r)
	}
	if len(m.Crashes) != 1 || len(m.Exit2) != 1 || len(m.Disagreements) != 2 {
		t.Errorf("crashes %d, exit-2 %d, disagreements %d; want 1, 1, 2", len(m.Crashes), len(m.Exit2), len(m.Disagreements))
	}
	if *a.ByRule["HR101"] != (Counts{TP: 2, FN: 1, Hit: 2, FireLabels: 3}) {
		t.Errorf("Merge changed its input: %+v", *a.ByRule["HR101"])
	}
}

// A first run is written once: RecordFirstRun refuses an existing file,
// and what it wrote reads back the same.
func TestFirstRunOnce(t *testing.T) {
	dir := t.TempDir()
	fr := FirstRun{Commit: "abc", Date: "2026-12-07", Projects: 3, Fire: 10, Quiet: 5, TP: 9, FP: 1, FN: 2, Crashes: 0, Exit2: 1, Note: "a\tnote"}
	if err := RecordFirstRun(dir, fr); err != nil {
		t.Fatal(err)
	}
	if err := RecordFirstRun(dir, FirstRun{Commit: "def", Date: "2026-12-08"}); err == nil {
		t.Error("a second RecordFirstRun succeeded")
	}
	got, err := ReadFirstRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	fr.Note = "a note"
	if *got != fr {
		t.Errorf("read %+v, want %+v", *got, fr)
	}
	if p, r := got.Precision(), got.Recall(); p != 0.9 || r != 0.8 {
		t.Errorf("precision %v recall %v, want 0.9 and 0.8", p, r)
	}
	if none, err := ReadFirstRun(t.TempDir()); none != nil || err != nil {
		t.Errorf("a corpus without blind.tsv: %v, %v", none, err)
	}
}

// Every corpus's blind.tsv, where present, parses.
func TestFirstRunsParse(t *testing.T) {
	for _, corpus := range corpora {
		if _, err := ReadFirstRun(corpus); err != nil {
			t.Error(err)
		}
	}
}
