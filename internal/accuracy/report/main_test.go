package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// -heldout may be repeated or list several directories; an empty value
// means none.
func TestHeldoutFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"default"}},
		{[]string{"-heldout", "a"}, []string{"a"}},
		{[]string{"-heldout", "a", "-heldout", "b"}, []string{"a", "b"}},
		{[]string{"-heldout", "a,b"}, []string{"a", "b"}},
		{[]string{"-heldout", ""}, nil},
	} {
		fs := flag.NewFlagSet("report", flag.ContinueOnError)
		d := dirs{list: []string{"default"}}
		fs.Var(&d, "heldout", "")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.list, c.want) {
			t.Errorf("%q: got %q, want %q", c.args, d.list, c.want)
		}
	}
}

// Every held-out set is reported under its own heading, and the overall
// summary names them all.
func TestRunSeveralSets(t *testing.T) {
	tmp := t.TempDir()
	tuned, a, b := mkCorpus(t, tmp, "tuned", "p1"), mkCorpus(t, tmp, "a", "p2"), mkCorpus(t, tmp, "b", "p3")
	var out bytes.Buffer
	if err := run(&out, options{}, tuned, a, b); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"\n== held-out: " + a + " ==\n1 projects\n",
		"\n== held-out: " + b + " ==\n1 projects\n",
		"\n== overall: " + tuned + ", " + a + " and " + b + " (disagreements listed above) ==\n3 projects\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

// mkCorpus writes a one-project corpus whose one label the tool hits.
func mkCorpus(t *testing.T, tmp, corpus, project string) string {
	t.Helper()
	dir := filepath.Join(tmp, corpus, project)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"Dockerfile": "FROM python:3.12\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"2\"]\n",
		"labels.tsv": "rule\tfile\tline\tverdict\twhy\nHR101\tDockerfile\t2\tfire\t2 workers\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(tmp, corpus)
}

// -record-blind writes blind.tsv in each set that has none, with the
// commit and this run's figures; a later run prints those figures beside
// the current ones and never rewrites the file, even when the figures
// have changed since.
func TestRecordBlind(t *testing.T) {
	tmp := t.TempDir()
	tuned, a := mkCorpus(t, tmp, "tuned", "p1"), mkCorpus(t, tmp, "a", "p2")
	commits := 0
	opt := options{record: once(func() (string, error) { commits++; return "0123456789abcdef", nil })}
	var out bytes.Buffer
	if err := run(&out, opt, tuned, a); err != nil {
		t.Fatal(err)
	}
	if commits != 1 {
		t.Errorf("commit asked %d times, want once per run: the first blind.tsv written leaves the worktree changed", commits)
	}
	path := filepath.Join(a, "blind.tsv")
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(first), "0123456789abcdef\t") || !strings.Contains(string(first), "\t1\t1\t0\t1\t0\t0\t0\t0\t") {
		t.Errorf("blind.tsv lacks the commit or the figures (1 project, 1 fire, 0 quiet, 1 TP, 0 FP, 0 FN):\n%s", first)
	}
	// The project changes: its label is now missed. The first run stays.
	if err := os.WriteFile(filepath.Join(a, "p2", "Dockerfile"), []byte("FROM python:3.12\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"9\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	asked := false
	opt = options{record: once(func() (string, error) { asked = true; return "fedcba9876543210", nil })}
	if err := run(&out, opt, tuned, a); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(path)
	if string(again) != string(first) {
		t.Errorf("blind.tsv was rewritten:\n%s", again)
	}
	if asked {
		t.Errorf("a run where every set has blind.tsv asked for a commit")
	}
	s := out.String()
	for _, want := range []string{
		"first run (blind), headroom 0123456789ab on ",
		": precision 1.00, recall 1.00 (1 TP, 0 FP, 0 FN; 1 fire / 0 quiet labels, 1 projects), crashes 0, exit-2 0\nnow: precision -, recall 0.00 (0 TP, 0 FP, 1 FN;",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if !regexp.MustCompile(regexp.QuoteMeta(a) + `\s+0123456789ab\s+1\.00\s+1\.00\s+-\s+0\.00\n`).MatchString(s) {
		t.Errorf("the per-set table lacks the first run beside now:\n%s", s)
	}
}

// Without -record-blind a set without blind.tsv says so, and nothing is
// written.
func TestNoFirstRun(t *testing.T) {
	tmp := t.TempDir()
	tuned := mkCorpus(t, tmp, "tuned", "p1")
	var out bytes.Buffer
	if err := run(&out, options{}, tuned); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "first run: not recorded") {
		t.Errorf("output does not say the first run is missing:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(tuned, "blind.tsv")); err == nil {
		t.Error("blind.tsv written without -record-blind")
	}
}
