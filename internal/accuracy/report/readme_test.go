package main

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's Accuracy tables from blind.tsv and a run of the rules")

// TestReadmeAccuracy keeps the README's Accuracy tables equal to each set's
// blind.tsv and to what the rules score now; -update rewrites them.
func TestReadmeAccuracy(t *testing.T) {
	t.Chdir("../../..") // the sets are named from the repository root
	const path = "README.md"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	i, j := strings.Index(s, readmeBegin), strings.Index(s, readmeEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the accuracy markers %q ... %q", readmeBegin, readmeEnd)
	}
	rows, err := measureSets(sets)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.first == nil {
			t.Errorf("%s has no blind.tsv: record its first run (make accuracy ACCURACY_FLAGS=-record-blind)", r.dir)
		}
	}
	want := s[:i+len(readmeBegin)] + readmeTables(rows) + s[j:]
	if want == s {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's Accuracy tables are out of date (a rule's findings or a blind.tsv changed); run go test ./internal/accuracy/report -update")
}

// A set with no first run recorded says so in the table instead of
// inventing figures.
func TestReadmeTablesWithoutFirstRun(t *testing.T) {
	tmp := t.TempDir()
	dir := mkCorpus(t, tmp, "new", "p1")
	rows, err := measureSets([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	got := readmeTables(rows)
	if !strings.Contains(got, "| `"+dir+"` | not recorded |") || !strings.Contains(got, "| `"+dir+"` | 1 | 1 / 0 | 1 | 0 | 0 | 1.00 | 1.00 | 0, 0 |") {
		t.Errorf("tables:\n%s", got)
	}
	if strings.Contains(got, "all 1 sets") {
		t.Errorf("a single set got an all-sets row:\n%s", got)
	}
}
