package gitdiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestSince(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, content string) { os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644) }
	run("init", "-q")
	write("a.conf", "1\n2\n3\n4\n5\n")
	write("b.conf", "x\n")
	run("add", ".")
	run("commit", "-q", "-m", "base")
	write("a.conf", "1\ntwo\n3\n4\nfive\nsix\n")
	write("c.conf", "new\n")
	ch, err := Since(dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "a.conf")
	for line, want := range map[int]bool{1: false, 2: true, 3: false, 5: true, 6: true} {
		if got := ch.Covers(a, line); got != want {
			t.Errorf("a.conf:%d changed = %v, want %v", line, got, want)
		}
	}
	if ch.Covers(filepath.Join(dir, "b.conf"), 1) {
		t.Error("unchanged b.conf reported changed")
	}
	if !ch.Covers(filepath.Join(dir, "c.conf"), 1) {
		t.Error("untracked c.conf not reported as new")
	}
	if _, err := Since(dir, "no-such-rev"); err == nil {
		t.Error("a bad revision was accepted")
	}
}
