package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
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
	mk := func(corpus, project string) string {
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
	tuned, a, b := mk("tuned", "p1"), mk("a", "p2"), mk("b", "p3")
	var out bytes.Buffer
	if err := run(&out, tuned, a, b); err != nil {
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
