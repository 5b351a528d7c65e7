package driver

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

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

// deviceOf is the file system a folder is on; tests swap it to spread a
// set over two.
var deviceOf = device

// WriteAll writes every change or none. Each file is first checked (inside
// its tree, not a symlink, unchanged since read). Then, in a journal folder
// of the run (see journal.go: `.headroom-fix-<pid>-<random>` at the root
// of its tree, or in the file's own folder when that is on another file
// system, so the rename stays on one), the new content is prepared with
// the original's mode (setuid, setgid and sticky bits included), owner,
// group and extended attributes, synced to disk, and the original is kept
// as a backup (a hard link). Only when every file is prepared does the
// journal say the set is committing; then the files are replaced, one
// rename each. When one fails, the files already replaced get their
// originals back and the error, a *TxError, says nothing was changed.
// The folders are removed at the end; a run killed part-way leaves them,
// and the next run completes or rolls back the set (Recover).
//
// A file with more than one hard link is written in place, through its
// inode, after every file is prepared: a rename would silently split the
// link, leaving the other names with the old content. That write is not
// atomic; the journal holds both contents, so a run killed during it is
// completed by the next, and its original content is written back if a
// later file fails.
func WriteAll(changes []Change) error {
	txs := make([]*tx, 0, len(changes))
	for _, c := range changes {
		t, err := checkChange(c)
		if err != nil {
			return &TxError{Err: &WriteError{Path: c.Path, Err: err}}
		}
		txs = append(txs, t)
	}
	if len(txs) == 0 {
		return nil
	}
	r, err := startRun(txs)
	if err != nil {
		return &TxError{Err: &WriteError{Path: txs[0].path, Err: err}}
	}
	delay := writeDelay()
	for _, t := range txs {
		if err := t.prepare(); err != nil {
			r.remove()
			return &TxError{Err: &WriteError{Path: t.path, Err: err}}
		}
		time.Sleep(delay)
	}
	if err := r.setState(stateCommit); err != nil {
		r.remove()
		return &TxError{Err: &WriteError{Path: txs[0].path, Err: err}}
	}
	time.Sleep(delay)
	for i, t := range txs {
		err := t.commit()
		if err == nil {
			time.Sleep(delay)
			continue
		}
		txErr := &TxError{Err: &WriteError{Path: t.path, Err: err}}
		if err := r.setState(stateUndo); err != nil {
			txErr.Unrestored = append(txErr.Unrestored, fmt.Errorf("the journal: %w", err))
		}
		for j := i - 1; j >= 0; j-- {
			if err := txs[j].undo(); err != nil {
				txErr.Unrestored = append(txErr.Unrestored, fmt.Errorf("%s: written, and its original could not be put back: %w", parsers.ShowPath(txs[j].path), err))
			}
		}
		if len(txErr.Unrestored) == 0 {
			r.remove()
		} else {
			txErr.Unrestored = append(txErr.Unrestored, fmt.Errorf("%s: kept, so the next headroom fix puts them back", parsers.ShowPath(r.dirs[0].path)))
		}
		return txErr
	}
	r.remove()
	return nil
}

// tx is one file of a WriteAll.
type tx struct {
	root, path string
	expect     []byte
	data       []byte
	info       os.FileInfo
	inPlace    bool   // hard-linked: written through its inode
	newFile    string // the prepared file in the journal folder, renamed over path
	orig       string // the backup in the journal folder
	linked     bool   // orig is a hard link to the original
	replaced   bool   // committed: undo puts the original back
}

// checkChange checks one change without touching the file.
func checkChange(c Change) (*tx, error) {
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
	t := &tx{root: c.Root, path: c.Path, expect: c.Expect, data: c.Data, info: info}
	if links(info) > 1 {
		// Written in place: make sure it can be opened for writing now.
		f, err := os.OpenFile(c.Path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		t.inPlace = true
		return t, f.Close()
	}
	return t, nil
}

// jdir is one journal folder of a run: where it is, and its files.
type jdir struct {
	path string
	txs  []*tx
}

// run is the journal folders of one WriteAll; the first one's journal
// holds the run's state.
type run struct {
	dirs []*jdir
}

// startRun creates the run's journal folders and writes their journals
// (state prepared): a file's folder is at the root of its tree, or in the
// file's own folder when that is on another file system than the root.
func startRun(txs []*tx) (*run, error) {
	r := &run{}
	at := map[string]*jdir{}
	for _, t := range txs {
		loc := t.root
		dev, err := deviceOf(filepath.Dir(t.path))
		if err != nil {
			r.remove()
			return nil, err
		}
		if rdev, err := deviceOf(t.root); err != nil || rdev != dev {
			loc = filepath.Dir(t.path)
		}
		key, err := filepath.Abs(loc)
		if err != nil {
			r.remove()
			return nil, err
		}
		d := at[key]
		if d == nil {
			p, err := newJournalDir(loc)
			if err != nil {
				r.remove()
				return nil, err
			}
			d = &jdir{path: p}
			at[key] = d
			r.dirs = append(r.dirs, d)
		}
		d.txs = append(d.txs, t)
		n := strconv.Itoa(len(d.txs))
		t.newFile, t.orig = filepath.Join(d.path, n+".new"), filepath.Join(d.path, n+".orig")
	}
	if err := r.setState(statePrepare); err != nil {
		r.remove()
		return nil, err
	}
	return r, nil
}

// journal is folder i's journal in the given state.
func (r *run) journal(i int, state string) *journal {
	d := r.dirs[i]
	base := filepath.Dir(d.path)
	j := &journal{State: state}
	for _, t := range d.txs {
		rel, _ := filepath.Rel(base, t.path)
		f := journalFile{Path: rel, Old: digest(t.expect), New: digest(t.data), InPlace: t.inPlace,
			NewFile: filepath.Base(t.newFile), Orig: filepath.Base(t.orig), NewContent: t.data}
		if t.inPlace || !t.linked && state != statePrepare {
			// No backup of it in the folder (until every file is
			// prepared, none is needed: nothing is replaced).
			f.OldContent = t.expect
		}
		j.Files = append(j.Files, f)
	}
	if i == 0 {
		for _, o := range r.dirs[1:] {
			rel, _ := filepath.Rel(base, o.path)
			j.Folders = append(j.Folders, rel)
		}
	} else {
		j.Primary, _ = filepath.Rel(base, r.dirs[0].path)
	}
	return j
}

// setState rewrites the journals, the first folder's last: its state is
// the run's, and it names the others.
func (r *run) setState(state string) error {
	for i := len(r.dirs) - 1; i >= 0; i-- {
		if err := writeJournal(r.dirs[i].path, r.journal(i, state)); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the run's folders, the first one last.
func (r *run) remove() {
	paths := make([]string, len(r.dirs))
	for i, d := range r.dirs {
		paths[i] = d.path
	}
	_ = removeFolders(paths)
}

// prepare writes the new content into the journal folder and keeps a
// backup of the original there: a second name for it (where the file
// system has no hard links, the journal keeps the original's content
// instead). A hard-linked file needs neither: the journal holds both
// contents.
func (t *tx) prepare() error {
	if t.inPlace {
		return nil
	}
	if err := writeTemp(t.newFile, t.path, t.info, t.data); err != nil {
		return err
	}
	t.linked = os.Link(t.path, t.orig) == nil
	return nil
}

// writeTemp writes data to the file name, created or emptied, with the
// attributes of the file at path, synced.
func writeTemp(name, path string, orig os.FileInfo, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	err = fillTemp(f, path, orig, data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
	}
	return err
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
		err = rename(t.newFile, t.path)
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
	if !t.linked {
		if err := writeTemp(t.orig, t.path, t.info, t.expect); err != nil {
			return err
		}
	}
	if err := rename(t.orig, t.path); err != nil {
		return err
	}
	t.replaced = false
	return nil
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
