package driver

import (
	"errors"
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

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "settings.py")
	os.WriteFile(p, []byte("old"), 0o640)
	if err := WriteFile(p, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	if got, _ := os.ReadFile(p); string(got) != "new" || info.Mode().Perm() != 0o640 {
		t.Errorf("after write: %q, mode %v", got, info.Mode().Perm())
	}
	// The file changed since it was read: refuse, keep the new content.
	if err := WriteFile(p, []byte("old"), []byte("newer")); err == nil {
		t.Error("wrote over a file that changed since it was read")
	}
	// A symlink is never written through.
	link := filepath.Join(dir, "link.py")
	os.Symlink(p, link)
	if err := WriteFile(link, []byte("new"), []byte("x")); err == nil {
		t.Error("wrote through a symlink")
	}
	if got, _ := os.ReadFile(p); string(got) != "new" {
		t.Errorf("target changed: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// TestWriteErrorNamesTheFile: a failed write says which file was not
// written and why, without the temporary file's name.
func TestWriteErrorNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nginx.conf")
	err := WriteFile(p, []byte("old"), []byte("new"))
	var we *WriteError
	if !errors.As(err, &we) || we.Path != p {
		t.Fatalf("error %v (%T), want a *WriteError for %s", err, err, p)
	}
	if want := p + ": not written: lstat: no such file or directory"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
