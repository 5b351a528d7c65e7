package driver

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// threeFiles writes a.conf, b.conf and c.conf holding "old" and returns
// changes giving each "new".
func threeFiles(t *testing.T) (string, []Change) {
	dir := t.TempDir()
	var cs []Change
	for _, n := range []string{"a.conf", "b.conf", "c.conf"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("old "+n), 0o644); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, Change{Root: dir, Path: p, Expect: []byte("old " + n), Data: []byte("new " + n)})
	}
	return dir, cs
}

// assertUntouched checks every file still holds its original and no
// temporary file or backup is left.
func assertUntouched(t *testing.T, dir string, cs []Change) {
	t.Helper()
	for _, c := range cs {
		if got, _ := os.ReadFile(c.Path); string(got) != string(c.Expect) {
			t.Errorf("%s holds %q after a failed set, want %q", c.Path, got, c.Expect)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(cs) {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestWriteAllRestoresOnFailedRename: the third replacement fails (as on a
// full disk or an immutable file); the two already replaced get their
// originals back and nothing is left behind.
func TestWriteAllRestoresOnFailedRename(t *testing.T) {
	dir, cs := threeFiles(t)
	defer func(r func(string, string) error) { rename = r }(rename)
	rename = func(from, to string) error {
		if filepath.Base(to) == "c.conf" {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: unix.ENOSPC}
		}
		return os.Rename(from, to)
	}
	err := WriteAll(cs)
	var te *TxError
	if !errors.As(err, &te) || len(te.Unrestored) != 0 {
		t.Fatalf("error %v (%T), want a *TxError with everything restored", err, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "c.conf: not written") || !strings.Contains(msg, "nothing was changed") {
		t.Errorf("error %q does not name the file and say nothing changed", msg)
	}
	assertUntouched(t, dir, cs)
}

// TestWriteAllPrepareFails: a file that cannot be prepared (here, it
// changed since it was read) stops the set before any file is replaced.
func TestWriteAllPrepareFails(t *testing.T) {
	dir, cs := threeFiles(t)
	cs[2].Expect = []byte("something else")
	if err := WriteAll(cs); err == nil {
		t.Fatal("no error")
	}
	cs[2].Expect = []byte("old c.conf")
	assertUntouched(t, dir, cs)
}

// TestWriteAllReadOnlyFolder: a folder the user may not write to fails the
// set in the prepare step; the file in a writable folder is not written.
func TestWriteAllReadOnlyFolder(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root writes into read-only folders")
	}
	dir, cs := threeFiles(t)
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o755)
	p := filepath.Join(ro, "d.conf")
	os.WriteFile(p, []byte("old d.conf"), 0o644)
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	all := append(cs, Change{Root: dir, Path: p, Expect: []byte("old d.conf"), Data: []byte("new")})
	if err := WriteAll(all); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("error %v", err)
	}
	for _, c := range all {
		if got, _ := os.ReadFile(c.Path); string(got) != string(c.Expect) {
			t.Errorf("%s holds %q", c.Path, got)
		}
	}
}

func TestWriteAll(t *testing.T) {
	dir, cs := threeFiles(t)
	if err := WriteAll(cs); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if got, _ := os.ReadFile(c.Path); string(got) != string(c.Data) {
			t.Errorf("%s holds %q", c.Path, got)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestWriteKeepsSpecialBits: setuid, setgid and sticky bits survive.
func TestWriteKeepsSpecialBits(t *testing.T) {
	p := filepath.Join(t.TempDir(), "entrypoint.sh")
	os.WriteFile(p, []byte("old"), 0o755)
	want := os.FileMode(0o755) | os.ModeSetuid | os.ModeSetgid | os.ModeSticky
	if err := os.Chmod(p, want); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(p); info.Mode() != want {
		t.Skipf("the file system keeps %v of %v", info.Mode(), want)
	}
	if err := WriteFile(p, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(p); info.Mode() != want {
		t.Errorf("mode after write %v, want %v", info.Mode(), want)
	}
}

// TestWriteKeepsXattrs: extended attributes survive, where the file
// system has them.
func TestWriteKeepsXattrs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "settings.py")
	os.WriteFile(p, []byte("old"), 0o644)
	if err := unix.Setxattr(p, "user.headroom.test", []byte("kept"), 0); err != nil {
		t.Skipf("no user extended attributes here: %v", err)
	}
	if err := WriteFile(p, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := unix.Getxattr(p, "user.headroom.test", buf)
	if err != nil || string(buf[:n]) != "kept" {
		t.Errorf("extended attribute after write: %q, %v", buf[:max(n, 0)], err)
	}
}

// TestWriteHardLinkInPlace: a hard-linked file is written through its
// inode, so every name sees the fix; a rename would split the link.
func TestWriteHardLinkInPlace(t *testing.T) {
	dir := t.TempDir()
	p, other := filepath.Join(dir, "nginx.conf"), filepath.Join(dir, "nginx-copy.conf")
	os.WriteFile(p, []byte("old"), 0o644)
	if err := os.Link(p, other); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := WriteFile(p, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(other); string(got) != "new" {
		t.Errorf("the other name holds %q: the link was split", got)
	}
	a, _ := os.Stat(p)
	b, _ := os.Stat(other)
	if !os.SameFile(a, b) {
		t.Error("the link was split")
	}
}

// TestWriteAllRestoresHardLinked: a hard-linked file written in place gets
// its original back when a later file fails.
func TestWriteAllRestoresHardLinked(t *testing.T) {
	dir, cs := threeFiles(t)
	if err := os.Link(cs[0].Path, filepath.Join(dir, "link")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	defer func(r func(string, string) error) { rename = r }(rename)
	rename = func(from, to string) error {
		if filepath.Base(to) == "c.conf" {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: unix.EPERM}
		}
		return os.Rename(from, to)
	}
	if err := WriteAll(cs); err == nil {
		t.Fatal("no error")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "link")); string(got) != "old a.conf" {
		t.Errorf("hard link holds %q", got)
	}
	for _, c := range cs {
		if got, _ := os.ReadFile(c.Path); string(got) != string(c.Expect) {
			t.Errorf("%s holds %q", c.Path, got)
		}
	}
}

// TestWriteAllThroughSymlinkedRoot: a tree named through a symlink to a
// folder is written inside the folder it points to; a folder inside it
// that points elsewhere is refused, and nothing is changed.
func TestWriteAllThroughSymlinkedRoot(t *testing.T) {
	base := t.TempDir()
	real, outside, link := filepath.Join(base, "real"), filepath.Join(base, "outside"), filepath.Join(base, "link")
	os.Mkdir(real, 0o755)
	os.Mkdir(outside, 0o755)
	os.Symlink(real, link)
	os.Symlink(outside, filepath.Join(real, "out"))
	os.WriteFile(filepath.Join(real, "a.conf"), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(outside, "b.conf"), []byte("old"), 0o644)
	in := Change{Root: link, Path: filepath.Join(link, "a.conf"), Expect: []byte("old"), Data: []byte("new")}
	out := Change{Root: link, Path: filepath.Join(link, "out", "b.conf"), Expect: []byte("old"), Data: []byte("new")}
	if err := WriteAll([]Change{in, out}); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("error %v, want the write outside the tree refused", err)
	}
	for _, p := range []string{filepath.Join(real, "a.conf"), filepath.Join(outside, "b.conf")} {
		if got, _ := os.ReadFile(p); string(got) != "old" {
			t.Errorf("%s holds %q", p, got)
		}
	}
	if err := WriteAll([]Change{in}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(real, "a.conf")); string(got) != "new" {
		t.Errorf("inside the symlinked tree: %q", got)
	}
}

// immutable makes path immutable (chattr +i) until the test ends, or skips
// the test where that cannot be done (not root, no chattr, a file system
// without the flag).
func immutable(t *testing.T, path string) {
	t.Helper()
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("no chattr")
	}
	if out, err := exec.Command(chattr, "+i", path).CombinedOutput(); err != nil {
		t.Skipf("chattr +i: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(chattr, "-i", path).Run() })
}

// TestWriteAllImmutableFile: a real failure part-way through the set, an
// immutable file, restores the files already replaced.
func TestWriteAllImmutableFile(t *testing.T) {
	dir, cs := threeFiles(t)
	immutable(t, cs[2].Path)
	err := WriteAll(cs)
	if err == nil || !strings.Contains(err.Error(), "c.conf: not written") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("error %v", err)
	}
	assertUntouched(t, dir, cs)
}

// TestWriteAllSaysWhatItCouldNotRestore: when putting an original back
// fails too, the error names that file rather than claiming nothing
// changed; the journal folder is kept, and the next run (Recover) puts
// the original back.
func TestWriteAllSaysWhatItCouldNotRestore(t *testing.T) {
	dir, cs := threeFiles(t)
	defer func(r func(string, string) error) { rename = r }(rename)
	rename = func(from, to string) error {
		if filepath.Base(to) == "c.conf" || strings.HasSuffix(from, ".orig") && filepath.Base(to) == "a.conf" {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: unix.EIO}
		}
		return os.Rename(from, to)
	}
	err := WriteAll(cs)
	var te *TxError
	if !errors.As(err, &te) || len(te.Unrestored) != 2 {
		t.Fatalf("error %v, want one file not restored and the journal kept", err)
	}
	if msg := err.Error(); strings.Contains(msg, "nothing was changed") || !strings.Contains(msg, cs[0].Path+": written, and its original could not be put back") ||
		!strings.Contains(msg, "kept, so the next headroom fix puts them back") {
		t.Errorf("error %q", msg)
	}
	if got, _ := os.ReadFile(cs[1].Path); string(got) != "old b.conf" {
		t.Errorf("b.conf holds %q", got)
	}
	rename = os.Rename
	found, _ := FindJournals([]string{dir})
	if ls := Recover(found); len(ls) != 1 || ls[0].Err != nil || ls[0].Forward {
		t.Fatalf("Recover %v: %+v", found, ls)
	}
	assertUntouched(t, dir, cs)
}
