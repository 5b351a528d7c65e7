package fsread

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestRegular(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("0123456789"), 0o644)
	if src, err := Regular(p, 10); err != nil || string(src) != "0123456789" {
		t.Errorf("Regular = %q, %v", src, err)
	}
	var tl *TooLargeError
	if _, err := Regular(p, 9); !errors.As(err, &tl) || tl.Limit != 9 {
		t.Errorf("over the limit: %v", err)
	}
	os.Symlink(p, filepath.Join(dir, "link"))
	if _, err := Regular(filepath.Join(dir, "link"), 10); err != nil {
		t.Errorf("symlink to a file: %v", err)
	}
}

// A device, a FIFO (directly or through a symlink) and a folder are
// refused at once: nothing blocks, nothing is read without end.
func TestNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	cases := []string{"/dev/zero", dir}
	if err := syscall.Mkfifo(fifo, 0o644); err == nil {
		os.Symlink(fifo, filepath.Join(dir, "to-fifo"))
		os.Symlink("/dev/zero", filepath.Join(dir, "to-zero"))
		cases = append(cases, fifo, filepath.Join(dir, "to-fifo"), filepath.Join(dir, "to-zero"))
	}
	for _, p := range cases {
		done := make(chan error, 1)
		go func() {
			_, err := Regular(p, 1<<20)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: %v, want %v", p, err, ErrNotRegular)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no result after 20s", p)
		}
	}
}

// A file read whole keeps no spare capacity, and one larger than its size
// at open (here: a size of 0 claimed for 10 bytes) is still read whole.
func TestReadAllSize(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("0123456789"), 0o644)
	src, err := Regular(p, 100)
	if err != nil || string(src) != "0123456789" || cap(src) > 11 {
		t.Errorf("Regular = %q (cap %d), %v", src, cap(src), err)
	}
	f, _ := os.Open(p)
	defer f.Close()
	if b, err := readAll(f, 0); err != nil || string(b) != "0123456789" {
		t.Errorf("readAll with a stale size = %q, %v", b, err)
	}
}
