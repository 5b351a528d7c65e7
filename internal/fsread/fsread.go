// Package fsread reads the files headroom is given or finds (deployment
// files, ignore files, its configuration) with a bound on what a read can
// cost: only regular files, at most a given size.
package fsread

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ErrNotRegular is returned for a FIFO, device, socket or folder, whether
// named directly or through a symlink.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is returned for a file larger than the limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than the %d-byte limit", e.Limit)
}

// Regular returns the content of the regular file at path (symlinks are
// followed) when it holds at most limit bytes. The file is opened without
// blocking (a FIFO with no writer would wait forever) and its kind checked
// on the open file, so a file swapped for a FIFO or a device after it was
// found is refused too; no more than limit+1 bytes are ever read.
func Regular(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	src, err := readAll(io.LimitReader(f, limit+1), min(info.Size(), limit)+1)
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return src, nil
}

// readAll is io.ReadAll into a buffer sized for the size the file had when
// opened (plus one byte, to see the end without growing it), so the
// content the caller keeps has no spare capacity; a file that grew since
// is still read whole.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
