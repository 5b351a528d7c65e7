package driver

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteError is a fixed file that could not be written; the file on disk
// is as it was.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	reason := e.Err.Error()
	if pe, ok := e.Err.(*fs.PathError); ok {
		reason = pe.Op + ": " + pe.Err.Error() // the temporary file's name says nothing
	}
	return e.Path + ": not written: " + reason
}

func (e *WriteError) Unwrap() error { return e.Err }

// WriteFile replaces path's content with data atomically: a temporary file
// in the same folder, the original's mode, then a rename, so a crash never
// leaves half a file; the file keeps its owner and group, or is not written.
// It refuses when the file no longer holds expect (it changed since it was
// read) or when path is a symlink. Its errors are *WriteError.
func WriteFile(path string, expect, data []byte) error {
	if err := writeFile(path, expect, data); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	return nil
}

func writeFile(path string, expect, data []byte) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return errors.New("it is a symlink")
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, expect) {
		return errors.New("it changed while headroom ran")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".headroom-*")
	if err != nil {
		return err
	}
	defer func() {
		// After a successful rename there is nothing left to remove.
		_ = os.Remove(tmp.Name())
	}()
	err = fillTemp(tmp, info, data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// fillTemp writes data to the temporary file with the original's mode and
// owner, and syncs it.
func fillTemp(tmp *os.File, orig os.FileInfo, data []byte) error {
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(orig.Mode().Perm()); err != nil {
		return err
	}
	if err := keepOwner(tmp, orig); err != nil {
		return err
	}
	return tmp.Sync()
}

// WriteFileIn is WriteFile for a file of the tree rooted at root: it refuses
// a path whose real folder, symlinks resolved, is not inside root's real
// folder, so a folder swapped for a symlink never sends a write out of the
// tree being fixed.
func WriteFileIn(root, path string, expect, data []byte) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return &WriteError{Path: path, Err: err}
	}
	realDir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return &WriteError{Path: path, Err: err}
	}
	rel, err := filepath.Rel(realRoot, realDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return &WriteError{Path: path, Err: fmt.Errorf("it resolves to %s, outside %s", realDir, root)}
	}
	return WriteFile(path, expect, data)
}
