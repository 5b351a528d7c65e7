package driver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// crashAt makes WriteAll stop dead (as if killed) at the nth rename it
// makes, journals included, and returns the folders it left.
func crashAt(t *testing.T, dir string, cs []Change, n int) []string {
	t.Helper()
	defer func(r func(string, string) error) { rename = r }(rename)
	calls := 0
	rename = func(from, to string) error {
		calls++
		if calls == n {
			panic("killed")
		}
		return os.Rename(from, to)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatalf("WriteAll made fewer than %d renames", n)
			}
		}()
		_ = WriteAll(cs)
	}()
	found, _ := FindJournals([]string{dir})
	return found
}

func contents(t *testing.T, cs []Change) []string {
	t.Helper()
	var out []string
	for _, c := range cs {
		b, _ := os.ReadFile(c.Path)
		out = append(out, string(b))
	}
	return out
}

// TestRecoverRollsForward: killed after the first file of three was
// replaced (the journal says committing), the next run completes the set
// and removes the folder.
func TestRecoverRollsForward(t *testing.T) {
	dir, cs := threeFiles(t)
	// Renames: the journal prepared, the journal committing, then a.conf.
	found := crashAt(t, dir, cs, 4)
	if len(found) != 1 {
		t.Fatalf("journal folders %v, want one", found)
	}
	if got := contents(t, cs); got[0] != "new a.conf" || got[1] != "old b.conf" {
		t.Fatalf("after the crash: %q", got)
	}
	if l := Inspect(found)[0]; l.Err != nil || !l.Forward || l.Files != 3 || !strings.Contains(l.Notice(false), "headroom fix will complete its write of 3 files") {
		t.Errorf("Inspect: %+v, %q", l, l.Notice(false))
	}
	if got := contents(t, cs); got[1] != "old b.conf" {
		t.Fatal("Inspect wrote")
	}
	if l := Recover(found)[0]; l.Err != nil || !l.Done {
		t.Fatalf("Recover: %+v", l)
	}
	for i, got := range contents(t, cs) {
		if got != string(cs[i].Data) {
			t.Errorf("%s holds %q", cs[i].Path, got)
		}
	}
	assertOnly(t, dir, 3)
}

// TestRecoverRollsBack: killed with every file prepared but the journal
// not yet committing, the next run removes the prepared files; the files
// keep their content.
func TestRecoverRollsBack(t *testing.T) {
	dir, cs := threeFiles(t)
	found := crashAt(t, dir, cs, 2) // the journal turning to committing
	if len(found) != 1 {
		t.Fatalf("journal folders %v", found)
	}
	if l := Recover(found)[0]; l.Err != nil || l.Forward || !strings.Contains(l.Notice(true), "rolled it back") {
		t.Fatalf("Recover: %+v", l)
	}
	assertUntouched(t, dir, cs)
}

// TestRecoverAcrossFileSystems: a set spread over two file systems keeps
// a journal folder on each; recovery started from the second finds the
// first and completes the whole set.
func TestRecoverAcrossFileSystems(t *testing.T) {
	dir, cs := threeFiles(t)
	sub := filepath.Join(dir, "mnt")
	os.Mkdir(sub, 0o755)
	p := filepath.Join(sub, "d.conf")
	os.WriteFile(p, []byte("old d.conf"), 0o644)
	cs = append(cs, Change{Root: dir, Path: p, Expect: []byte("old d.conf"), Data: []byte("new d.conf")})
	defer func(d func(string) (uint64, error)) { deviceOf = d }(deviceOf)
	deviceOf = func(path string) (uint64, error) {
		if filepath.Base(path) == "mnt" {
			return 2, nil
		}
		return 1, nil
	}
	// Renames: two journals prepared, two committing, then a.conf.
	found := crashAt(t, dir, cs, 5)
	if len(found) != 2 {
		t.Fatalf("journal folders %v, want one per file system", found)
	}
	var second string
	for _, f := range found {
		if filepath.Dir(f) == sub {
			second = f
		}
	}
	if second == "" {
		t.Fatalf("no journal folder beside d.conf: %v", found)
	}
	if ls := Recover([]string{second}); len(ls) != 1 || ls[0].Err != nil || !ls[0].Forward || ls[0].Files != 4 {
		t.Fatalf("Recover: %+v", ls)
	}
	for i, got := range contents(t, cs) {
		if got != string(cs[i].Data) {
			t.Errorf("%s holds %q", cs[i].Path, got)
		}
	}
	if left, _ := FindJournals([]string{dir}); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
}

// TestRecoverHardLinkedCutShort: a hard-linked file is written in place;
// killed part-way through that write, it holds the start of its new
// content, and the next run writes it whole, keeping the link.
func TestRecoverHardLinkedCutShort(t *testing.T) {
	dir, cs := threeFiles(t)
	other := filepath.Join(dir, "link")
	if err := os.Link(cs[0].Path, other); err != nil {
		t.Skipf("no hard links: %v", err)
	}
	found := crashAt(t, dir, cs, 3)                  // b.conf's rename, after a.conf was written in place
	os.WriteFile(cs[0].Path, []byte("new a"), 0o644) // as if cut short
	if l := Recover(found)[0]; l.Err != nil {
		t.Fatalf("Recover: %+v", l)
	}
	if got, _ := os.ReadFile(other); string(got) != "new a.conf" {
		t.Errorf("the other name holds %q", got)
	}
	if got := contents(t, cs); got[1] != "new b.conf" || got[2] != "new c.conf" {
		t.Errorf("%q", got)
	}
}

// TestRecoverLeavesWhatItDidNotWrite: a file changed since the crash, a
// file headroom never writes in the folder, and a journal naming a path
// outside its tree each leave everything as it is, with the reason.
func TestRecoverLeavesWhatItDidNotWrite(t *testing.T) {
	t.Run("changed", func(t *testing.T) {
		dir, cs := threeFiles(t)
		found := crashAt(t, dir, cs, 4)
		os.WriteFile(cs[1].Path, []byte("edited by the user"), 0o644)
		l := Recover(found)[0]
		if l.Err == nil || !strings.Contains(l.Err.Error(), "b.conf changed since") {
			t.Fatalf("Recover: %+v", l)
		}
		if got := contents(t, cs); got[0] != "new a.conf" || got[2] != "old c.conf" {
			t.Errorf("files touched: %q", got)
		}
		if found, _ := FindJournals([]string{dir}); len(found) != 1 {
			t.Error("the folder was removed")
		}
	})
	t.Run("foreign file", func(t *testing.T) {
		dir, cs := threeFiles(t)
		found := crashAt(t, dir, cs, 4)
		os.WriteFile(filepath.Join(found[0], "notes.txt"), []byte("mine"), 0o644)
		if l := Recover(found)[0]; l.Err == nil || !strings.Contains(l.Err.Error(), "was not written by headroom") {
			t.Fatalf("Recover: %+v", l)
		}
		if got := contents(t, cs); got[1] != "old b.conf" {
			t.Errorf("files touched: %q", got)
		}
	})
	t.Run("outside", func(t *testing.T) {
		base := t.TempDir()
		tree := filepath.Join(base, "tree")
		os.Mkdir(tree, 0o755)
		victim := filepath.Join(base, "victim.conf")
		os.WriteFile(victim, []byte("old"), 0o644)
		j := filepath.Join(tree, ".headroom-fix-999999999-1")
		os.Mkdir(j, 0o700)
		if err := writeJournal(j, &journal{State: stateCommit, Files: []journalFile{{Path: "../victim.conf", Old: digest([]byte("old")), New: digest([]byte("evil")), NewContent: []byte("evil"), NewFile: "1.new", Orig: "1.orig"}}}); err != nil {
			t.Fatal(err)
		}
		if l := Recover([]string{j})[0]; l.Err == nil || !strings.Contains(l.Err.Error(), "outside") {
			t.Fatalf("Recover: %+v", l)
		}
		if got, _ := os.ReadFile(victim); string(got) != "old" {
			t.Errorf("wrote outside the tree: %q", got)
		}
	})
}

// assertOnly checks dir holds n entries: no journal folder is left.
func assertOnly(t *testing.T, dir string, n int) {
	t.Helper()
	if entries, _ := os.ReadDir(dir); len(entries) != n {
		t.Errorf("left behind: %v", entries)
	}
}

// TestStrays: the files an older headroom left beside the file it wrote
// are found; only a backup still a second name of its file is redundant
// and removed; a name without its file, or of another program's, is not
// one.
func TestStrays(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	os.WriteFile(p, []byte("new"), 0o644)
	linked := filepath.Join(dir, ".Dockerfile.headroom-1653869051.orig")
	if err := os.Link(p, linked); err != nil {
		t.Skipf("no hard links: %v", err)
	}
	copied := filepath.Join(dir, ".Dockerfile.headroom-2766951615.orig") // the rename happened
	prepared := filepath.Join(dir, ".Dockerfile.headroom-42")
	os.WriteFile(copied, []byte("old"), 0o644)
	os.WriteFile(prepared, []byte("new"), 0o644)
	os.WriteFile(filepath.Join(dir, ".settings.py.headroom-7"), []byte("x"), 0o644) // no settings.py
	os.WriteFile(filepath.Join(dir, ".Dockerfile.swp"), []byte("x"), 0o644)
	_, strays := FindJournals([]string{dir})
	got := map[string]bool{}
	for _, s := range strays {
		got[filepath.Base(s.Path)] = s.Redundant
		if s.Of != p {
			t.Errorf("%s: of %s", s.Path, s.Of)
		}
		err := RemoveStray(s)
		if s.Redundant != (err == nil) {
			t.Errorf("RemoveStray(%s): %v", s.Path, err)
		}
		if !s.Redundant && !strings.Contains(s.Notice(false), "not removed") {
			t.Errorf("notice %q", s.Notice(false))
		}
	}
	want := map[string]bool{filepath.Base(linked): true, filepath.Base(copied): false, filepath.Base(prepared): false}
	if len(got) != len(want) {
		t.Fatalf("strays %v, want %v", got, want)
	}
	for k, v := range want {
		if r, ok := got[k]; !ok || r != v {
			t.Errorf("%s: redundant %v (found %v), want %v", k, r, ok, v)
		}
	}
	if _, err := os.Lstat(linked); err == nil {
		t.Error("the redundant backup is still there")
	}
	for _, keep := range []string{copied, prepared} {
		if _, err := os.Lstat(keep); err != nil {
			t.Errorf("%s removed", keep)
		}
	}
}
