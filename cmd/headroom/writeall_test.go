package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixAllOrNothing: when one fixed file cannot be replaced (here an
// immutable file, replaced after the other), fix restores the other,
// prints no diff and no "Fixed", says nothing was changed, and exits 2.
func TestFixAllOrNothing(t *testing.T) {
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("no chattr")
	}
	dir := t.TempDir()
	src := "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"2\"]\n"
	a, b := filepath.Join(dir, "a", "Dockerfile"), filepath.Join(dir, "b", "Dockerfile")
	for _, p := range []string{a, b} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(chattr, "+i", b).CombinedOutput(); err != nil {
		t.Skipf("chattr +i: %v: %s", err, out)
	}
	defer exec.Command(chattr, "-i", b).Run()
	var out, errOut bytes.Buffer
	code := run([]string{"fix", "--select", "HR101", dir}, strings.NewReader(""), &out, &errOut)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if out.Len() > 0 {
		t.Errorf("a diff was printed for files not written:\n%s", out.String())
	}
	if e := errOut.String(); !strings.Contains(e, b+": not written") || !strings.Contains(e, "nothing was changed") || strings.Contains(e, "Fixed") {
		t.Errorf("stderr %q", e)
	}
	for _, p := range []string{a, b} {
		if got, _ := os.ReadFile(p); string(got) != src {
			t.Errorf("%s changed:\n%s", p, got)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "a")); len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
}
