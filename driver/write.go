package driver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile replaces path's content with data atomically: a temporary file
// in the same folder, the original's mode, then a rename, so a crash never
// leaves half a file; the file keeps its owner and group, or is not written.
// It refuses when the file no longer holds expect (it changed since it was
// read) or when path is a symlink.
func WriteFile(path string, expect, data []byte) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s: is a symlink; not written", path)
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, expect) {
		return fmt.Errorf("%s: changed while headroom ran; not written", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".headroom-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := keepOwner(tmp, info); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %v; not written", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteFileIn is WriteFile for a file of the tree rooted at root: it refuses
// a path whose real folder, symlinks resolved, is not inside root's real
// folder, so a folder swapped for a symlink never sends a write out of the
// tree being fixed.
func WriteFileIn(root, path string, expect, data []byte) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	realDir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(realRoot, realDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return fmt.Errorf("%s: resolves to %s, outside %s; not written", path, realDir, root)
	}
	return WriteFile(path, expect, data)
}
