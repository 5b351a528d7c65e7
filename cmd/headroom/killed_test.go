package main

import (
	"bytes"
	"flag"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	kills     = flag.Int("kills", 20, "runs of fix that TestFixKilled kills (make fuzz: 200)")
	killsSeed = flag.Uint64("kills-seed", 1, "seed of the moments TestFixKilled kills fix at")
)

// snapshot is every file under dir by its path relative to dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyTree copies the files of src into a new folder dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	for rel, body := range snapshot(t, src) {
		p := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFixKilled kills `fix --phase 3` on a copy of testdata/wingman with
// SIGKILL at random moments of its write (slowed by the test-only
// HEADROOM_TEST_WRITE_DELAY, so the moments fall between its steps as well
// as inside them) and checks, after each: every file holds its old or its
// new content and nothing is beside them but the run's journal folder;
// the next run (lint) names the folder, and the one after it (a fix that
// changes nothing) completes or rolls back the set, so the tree is all
// old or all new, and removes every file headroom wrote.
func TestFixKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "headroom")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, err := filepath.Abs("../../testdata/wingman")
	if err != nil {
		t.Fatal(err)
	}
	old := snapshot(t, src)
	const delay = "10ms"
	runIn := func(dir string, env []string, args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		return cmd
	}
	// The new tree, and how long a slowed fix takes.
	ref := filepath.Join(t.TempDir(), "wingman")
	copyTree(t, src, ref)
	start := time.Now()
	if err := runIn(ref, []string{"HEADROOM_TEST_WRITE_DELAY=" + delay}, "fix", "--phase", "3", ".").Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	span := time.Since(start)
	fixed := snapshot(t, ref)
	changed := 0
	for rel := range old {
		if fixed[rel] != old[rel] {
			changed++
		}
	}
	if len(fixed) != len(old) || changed < 2 {
		t.Fatalf("the reference fix changed %d files and left %d files for %d: the test needs a set of several", changed, len(fixed), len(old))
	}
	rng := rand.New(rand.NewPCG(*killsSeed, 26))
	outcomes := map[string]int{}
	for i := range *kills {
		dir := filepath.Join(t.TempDir(), "wingman")
		copyTree(t, src, dir)
		cmd := runIn(dir, []string{"HEADROOM_TEST_WRITE_DELAY=" + delay}, "fix", "--phase", "3", ".")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		at := time.Duration(rng.Int64N(int64(span)))
		time.Sleep(at)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		// Right after the kill: each file old or new, and nothing else
		// but the journal folder.
		var journals []string
		for rel, body := range snapshot(t, dir) {
			top := strings.Split(rel, string(filepath.Separator))[0]
			if strings.HasPrefix(top, ".headroom-fix-") {
				journals = append(journals, top)
				continue
			}
			if o, ok := old[rel]; !ok {
				t.Fatalf("run %d (killed after %v): %s was left beside the user's files", i, at, rel)
			} else if body != o && body != fixed[rel] {
				t.Fatalf("run %d (killed after %v): %s holds neither its old nor its new content:\n%s", i, at, rel, body)
			}
		}
		var lintErr bytes.Buffer
		lint := runIn(dir, nil, "lint", ".")
		lint.Stderr = &lintErr
		_ = lint.Run()
		if len(journals) > 0 && !strings.Contains(lintErr.String(), "left by an interrupted headroom fix; headroom fix will") {
			t.Fatalf("run %d: lint does not name the journal folder %s:\n%s", i, journals[0], lintErr.String())
		}
		// The next fix (one whose rule fixes nothing) recovers.
		var fixErr bytes.Buffer
		next := runIn(dir, nil, "fix", "--select", "HR003", ".")
		next.Stderr = &fixErr
		if err := next.Run(); err != nil {
			t.Fatalf("run %d: the next fix failed: %v\n%s", i, err, fixErr.String())
		}
		after := snapshot(t, dir)
		if len(after) != len(old) {
			t.Fatalf("run %d (killed after %v): %d files after the next run, want %d (headroom's left behind?)\n%s", i, at, len(after), len(old), fixErr.String())
		}
		allOld, allNew := true, true
		for rel, body := range after {
			allOld = allOld && body == old[rel]
			allNew = allNew && body == fixed[rel]
		}
		switch {
		case allNew && allOld:
			t.Fatal("old and new trees are the same")
		case allNew:
			outcomes["completed"]++
		case allOld:
			outcomes["old"]++
		default:
			t.Fatalf("run %d (killed after %v): after the next run the tree mixes old and new files\n%s", i, at, fixErr.String())
		}
		if len(journals) > 0 && !strings.Contains(fixErr.String(), "left by an interrupted headroom fix: ") {
			t.Fatalf("run %d: the next fix does not say what it recovered:\n%s", i, fixErr.String())
		}
		if len(journals) > 0 {
			outcomes["recovered"]++
		}
	}
	t.Logf("%d kills over %v: %v", *kills, span, outcomes)
}
