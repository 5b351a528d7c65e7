package driver

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
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
	return parsers.ShowPath(e.Path) + ": not written: " + reason
}

func (e *WriteError) Unwrap() error { return e.Err }

// Change is one fixed file to write: Path, inside the tree rooted at Root,
// held Expect when it was read and is to hold Data.
type Change struct {
	Root, Path   string
	Expect, Data []byte
}

// TxError is a WriteAll that changed nothing: Err says which file failed
// and why. Unrestored lists the files that had been replaced and could not
// be put back (empty unless the disk failed while undoing).
type TxError struct {
	Err        error
	Unrestored []error
}

func (e *TxError) Error() string {
	if len(e.Unrestored) == 0 {
		return e.Err.Error() + "; nothing was changed"
	}
	msg := e.Err.Error() + "; the files already written were restored except:"
	for _, u := range e.Unrestored {
		msg += "\n  " + u.Error()
	}
	return msg
}

func (e *TxError) Unwrap() error { return e.Err }

// rename replaces a file with its prepared version; tests swap it to make a
// replacement fail part-way through a set.
var rename = os.Rename

// WriteAll writes every change or none. Each file is first checked (inside
// its tree, not a symlink, unchanged since read) and prepared: a temporary
// file beside it holding the new content with the original's mode
// (setuid, setgid and sticky bits included), owner, group and extended
// attributes, synced to disk. Only then are the files replaced, one rename
// each, the originals kept as backups (hard links beside them) until every
// rename has succeeded. When one fails, the files already replaced get
// their originals back and the error, a *TxError, says nothing was changed.
//
// A file with more than one hard link is written in place, through its
// inode, after every file is prepared: a rename would silently split the
// link, leaving the other names with the old content. Its original content
// is written back if a later file fails.
func WriteAll(changes []Change) error {
	txs := make([]*tx, 0, len(changes))
	defer func() {
		for _, t := range txs {
			t.cleanup()
		}
	}()
	for _, c := range changes {
		t, err := prepare(c)
		if t != nil {
			txs = append(txs, t)
		}
		if err != nil {
			return &TxError{Err: &WriteError{Path: c.Path, Err: err}}
		}
	}
	for i, t := range txs {
		if err := t.commit(); err != nil {
			txErr := &TxError{Err: &WriteError{Path: t.path, Err: err}}
			for j := i - 1; j >= 0; j-- {
				if err := txs[j].undo(); err != nil {
					txErr.Unrestored = append(txErr.Unrestored, fmt.Errorf("%s: written, and its original could not be put back: %w", parsers.ShowPath(txs[j].path), err))
				}
			}
			return txErr
		}
	}
	return nil
}

// tx is one file of a WriteAll.
type tx struct {
	path     string
	expect   []byte
	data     []byte
	info     os.FileInfo
	inPlace  bool   // hard-linked: written through its inode
	tmp      string // the prepared file, renamed over path
	backup   string // a hard link to the original, while the set is written
	replaced bool   // committed: undo puts the original back
}

// prepare checks one change and readies it without touching the file.
func prepare(c Change) (*tx, error) {
	if err := inTree(c.Root, c.Path); err != nil {
		return nil, err
	}
	info, err := os.Lstat(c.Path)
	if err != nil {
		return nil, err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return nil, errors.New("it is a symlink")
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("it is not a regular file")
	}
	now, err := os.ReadFile(c.Path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(now, c.Expect) {
		return nil, errors.New("it changed while headroom ran")
	}
	t := &tx{path: c.Path, expect: c.Expect, data: c.Data, info: info}
	if links(info) > 1 {
		// Written in place: make sure it can be opened for writing now.
		f, err := os.OpenFile(c.Path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		t.inPlace = true
		return t, f.Close()
	}
	t.tmp, err = temp(c.Path, info, c.Data)
	if err != nil {
		return nil, err
	}
	// The backup is a second name for the original; where the file system
	// has no hard links, undo rebuilds the original from its content.
	if b := t.tmp + ".orig"; os.Link(c.Path, b) == nil {
		t.backup = b
	}
	return t, nil
}

// temp writes data to a new file beside path with the attributes of the
// original, synced, and returns its name.
func temp(path string, orig os.FileInfo, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".headroom-*")
	if err != nil {
		return "", err
	}
	err = fillTemp(f, path, orig, data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// commit replaces the file with its new content.
func (t *tx) commit() error {
	var err error
	if t.inPlace {
		err = overwrite(t.path, t.data)
		if err != nil {
			// Part of the new content may be in: put the original back.
			if uerr := overwrite(t.path, t.expect); uerr != nil {
				return fmt.Errorf("%v, and its original could not be written back: %v", err, uerr)
			}
		}
	} else {
		err = rename(t.tmp, t.path)
	}
	t.replaced = err == nil
	return err
}

// undo puts a committed file's original back.
func (t *tx) undo() error {
	if !t.replaced {
		return nil
	}
	if t.inPlace {
		return overwrite(t.path, t.expect)
	}
	if t.backup != "" {
		if err := rename(t.backup, t.path); err != nil {
			return err
		}
		t.backup = ""
		return nil
	}
	tmp, err := temp(t.path, t.info, t.expect)
	if err != nil {
		return err
	}
	if err := rename(tmp, t.path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// cleanup removes what is left of the prepared files and backups.
func (t *tx) cleanup() {
	if t.tmp != "" && !t.replaced {
		_ = os.Remove(t.tmp)
	}
	if t.backup != "" {
		_ = os.Remove(t.backup)
	}
}

// overwrite writes data into the existing file, keeping its inode.
func overwrite(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteFile replaces path's content with data atomically: a temporary file
// in the same folder, the original's mode, then a rename, so a crash never
// leaves half a file; the file keeps its owner and group, or is not written.
// It refuses when the file no longer holds expect (it changed since it was
// read) or when path is a symlink. It is WriteAll for one file, with the
// file's folder as its tree. Its errors are *WriteError.
func WriteFile(path string, expect, data []byte) error {
	return unwrapTx(WriteAll([]Change{{Root: filepath.Dir(path), Path: path, Expect: expect, Data: data}}))
}

// unwrapTx gives the *WriteError of a one-file WriteAll.
func unwrapTx(err error) error {
	var te *TxError
	if errors.As(err, &te) && len(te.Unrestored) == 0 {
		return te.Err
	}
	return err
}

// fillTemp writes data to the temporary file with the original's mode,
// owner and extended attributes, and syncs it. The owner comes before the
// mode, since changing it clears the setuid and setgid bits.
func fillTemp(tmp *os.File, path string, orig os.FileInfo, data []byte) error {
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := keepOwner(tmp, orig); err != nil {
		return err
	}
	if err := tmp.Chmod(orig.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return err
	}
	if err := keepXattrs(tmp, path); err != nil {
		return err
	}
	return tmp.Sync()
}

// WriteFileIn is WriteFile for a file of the tree rooted at root: it refuses
// a path whose real folder, symlinks resolved, is not inside root's real
// folder, so a folder swapped for a symlink never sends a write out of the
// tree being fixed.
func WriteFileIn(root, path string, expect, data []byte) error {
	return unwrapTx(WriteAll([]Change{{Root: root, Path: path, Expect: expect, Data: data}}))
}

// inTree refuses a path whose real folder is not inside root's real folder.
func inTree(root, path string) error {
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
		return fmt.Errorf("it resolves to %s, outside %s", realDir, root)
	}
	return nil
}
