package fixers

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteFileKeepsOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	p := filepath.Join(t.TempDir(), "nginx.conf")
	os.WriteFile(p, []byte("old"), 0o604)
	if err := os.Chown(p, 12345, 23456); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != 12345 || st.Gid != 23456 || info.Mode().Perm() != 0o604 {
		t.Errorf("after write: owner %d:%d mode %v, want 12345:23456 0604", st.Uid, st.Gid, info.Mode().Perm())
	}
}

func TestWriteFileInRefusesOutside(t *testing.T) {
	base := t.TempDir()
	tree, outside := filepath.Join(base, "tree"), filepath.Join(base, "outside")
	os.MkdirAll(filepath.Join(tree, "app"), 0o755)
	os.MkdirAll(outside, 0o755)
	os.WriteFile(filepath.Join(tree, "app", "settings.py"), []byte("A = 1\n"), 0o644)
	os.WriteFile(filepath.Join(outside, "settings.py"), []byte("A = 1\n"), 0o644)
	// Inside the tree: written.
	if err := WriteFileIn(tree, filepath.Join(tree, "app", "settings.py"), []byte("A = 1\n"), []byte("A = 2\n")); err != nil {
		t.Fatal(err)
	}
	// A folder of the tree that is (or became) a symlink out of it: refused.
	os.Symlink(outside, filepath.Join(tree, "conf"))
	err := WriteFileIn(tree, filepath.Join(tree, "conf", "settings.py"), []byte("A = 1\n"), []byte("A = 2\n"))
	if err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("wrote out of the tree through a symlinked folder: %v", err)
	}
	// A path that climbs out with ..: refused.
	err = WriteFileIn(tree, filepath.Join(tree, "..", "outside", "settings.py"), []byte("A = 1\n"), []byte("A = 2\n"))
	if err == nil {
		t.Error("wrote out of the tree through ..")
	}
	if got, _ := os.ReadFile(filepath.Join(outside, "settings.py")); string(got) != "A = 1\n" {
		t.Errorf("file outside the tree changed: %q", got)
	}
}
