package driver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// A WriteAll keeps its temporary files in one journal folder per run
// (`.headroom-fix-<pid>-<random>` at the root of the tree being fixed, or
// beside the file for a file on another file system, so every rename stays
// on one file system), with a journal naming each file it writes and the
// SHA-256 of its old and new content. A run killed part-way leaves the
// folder, never a stray file beside the user's; the next run finds it
// (FindJournals) and completes or rolls back the set (Recover).
//
// The steps, in order: the folders and their journals (state "prepared"),
// then for each file its new content (N.new) and a backup of its original
// (N.orig: a hard link, or a copy); then the first folder's journal turns
// to "committing" (one rename); only then are the files replaced. A
// replacement that fails turns it to "rolling back" before the originals
// are put back. The folders go last, the first folder's journal at the
// very end.

const (
	journalName  = "journal.json"
	journalTemp  = "journal.json.tmp"
	statePrepare = "prepared"
	stateCommit  = "committing"
	stateUndo    = "rolling back"
)

// journal is the content of a journal folder's journal.json.
type journal struct {
	State string        `json:"state"` // the run's state: only the first folder's counts
	Files []journalFile `json:"files"`
	// Folders are the run's other journal folders (in the first folder
	// only); Primary is the first folder (in the others). Both are
	// relative to the folder holding this journal folder.
	Folders []string `json:"folders,omitempty"`
	Primary string   `json:"primary,omitempty"`
}

// journalFile is one file of the set. Path is relative to the folder
// holding the journal folder; NewFile and Orig name the new content and
// the backup (a hard link to the original) inside the journal folder. The
// journal holds the new content too, so a file cut short while written is
// known for headroom's by its bytes, and the original where there is no
// backup (a hard-linked file, written in place, or a file system without
// hard links).
type journalFile struct {
	Path       string `json:"path"`
	Old        string `json:"old"` // SHA-256 of the content read
	New        string `json:"new"` // SHA-256 of the content to write
	InPlace    bool   `json:"in_place,omitempty"`
	NewFile    string `json:"new_file,omitempty"`
	Orig       string `json:"orig,omitempty"`
	NewContent []byte `json:"new_content"`
	OldContent []byte `json:"old_content,omitempty"`
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// writeDelay is the pause between the steps of a WriteAll, read from
// HEADROOM_TEST_WRITE_DELAY (a Go duration). It exists for the test that
// kills fix part-way (cmd/headroom TestFixKilled) and is not for users.
func writeDelay() time.Duration {
	d, _ := time.ParseDuration(os.Getenv("HEADROOM_TEST_WRITE_DELAY"))
	return d
}

// writeJournal replaces a folder's journal in one rename, synced, so it is
// always a whole journal.
func writeJournal(dir string, j *journal) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, journalTemp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rename(tmp, filepath.Join(dir, journalName))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

func readJournal(dir string) (*journal, error) {
	b, err := os.ReadFile(filepath.Join(dir, journalName))
	if err != nil {
		return nil, err
	}
	j := &journal{}
	if err := json.Unmarshal(b, j); err != nil {
		return nil, err
	}
	return j, nil
}

// newJournalDir creates a run's journal folder in dir.
func newJournalDir(dir string) (string, error) {
	return os.MkdirTemp(dir, stack.JournalDirPrefix+strconv.Itoa(os.Getpid())+"-*")
}

// FindJournals returns the journal folders left under the paths by fix
// runs that were interrupted, walking the folders discovery walks, and
// the temporary files and backups headroom before its journal folders
// left beside the files it wrote (see Stray).
func FindJournals(paths []string) (journals []string, strays []Stray) {
	seen := map[string]bool{}
	for _, root := range paths {
		if info, err := os.Stat(root); err != nil || !info.IsDir() {
			continue
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil || p == root:
				return nil
			case !d.IsDir():
				if st, ok := stray(p, d); ok {
					strays = append(strays, st)
				}
				return nil
			case strings.HasPrefix(d.Name(), stack.JournalDirPrefix):
				if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
					seen[abs] = true
					journals = append(journals, p)
				}
				return fs.SkipDir
			case stack.SkipsFolder(d.Name()):
				return fs.SkipDir
			}
			return nil
		})
	}
	return journals, strays
}

// strayName is the name headroom before its journal folders gave the new
// content it prepared beside a file (os.CreateTemp's ".NAME.headroom-*")
// and the backup of the original (the same with ".orig").
var strayName = regexp.MustCompile(`^\.(.+)\.headroom-[0-9]+(\.orig)?$`)

// Stray is a file an interrupted fix of an older headroom left beside the
// file it was writing: its prepared new content, or a backup of the
// original. Only a backup that is still a second name of the file (the
// rename never happened) is known to be headroom's and redundant; fix
// removes that one, and names the others for the user to check.
type Stray struct {
	Path, Of  string
	Redundant bool
}

func stray(p string, d fs.DirEntry) (Stray, bool) {
	m := strayName.FindStringSubmatch(d.Name())
	if m == nil || !d.Type().IsRegular() {
		return Stray{}, false
	}
	of := filepath.Join(filepath.Dir(p), m[1])
	oi, err := os.Lstat(of)
	if err != nil || !oi.Mode().IsRegular() {
		return Stray{}, false
	}
	si, err := os.Lstat(p)
	return Stray{Path: p, Of: of, Redundant: err == nil && m[2] != "" && os.SameFile(si, oi)}, true
}

// Notice is the stray as lint (removed false) or fix tells it.
func (s Stray) Notice(removed bool) string {
	name, of := parsers.ShowPath(s.Path), parsers.ShowPath(s.Of)
	switch {
	case s.Redundant && removed:
		return fmt.Sprintf("%s: a second name of %s left by an interrupted fix of an older headroom; removed it", name, of)
	case s.Redundant:
		return fmt.Sprintf("%s: a second name of %s left by an interrupted fix of an older headroom; headroom fix will remove it", name, of)
	}
	return fmt.Sprintf("%s: looks like a file an interrupted fix of an older headroom left beside %s; not removed (headroom cannot tell it is its own): compare it with %s and delete it", name, of, of)
}

// RemoveStray removes a redundant stray, after checking again that it is
// still a second name of its file.
func RemoveStray(s Stray) error {
	si, err := os.Lstat(s.Path)
	if err != nil {
		return err
	}
	oi, err := os.Lstat(s.Of)
	if err != nil || !s.Redundant || !os.SameFile(si, oi) {
		return errors.New("no longer a second name of " + parsers.ShowPath(s.Of))
	}
	return os.Remove(s.Path)
}

// Leftover is a journal folder found under the paths, and what recovery
// does (Recover) or would do (Inspect) with it.
type Leftover struct {
	Folder string
	// Forward: the set was being committed, so recovery completes it;
	// else recovery rolls it back (the files keep, or get back, their
	// original content).
	Forward bool
	Files   int   // the files of the set
	Err     error // why it was not, or could not be, recovered and removed
	Done    bool  // recovered and removed
}

// Notice is the leftover as lint (recovered false) or fix (true) tells it.
func (l Leftover) Notice(recovered bool) string {
	name := parsers.ShowPath(l.Folder)
	files := fmt.Sprintf("%d %s", l.Files, map[bool]string{true: "file", false: "files"}[l.Files == 1])
	what := "roll it back (the files keep their original content)"
	done := "rolled it back (the files keep their original content)"
	if l.Forward {
		what = "complete its write of " + files
		done = "completed its write of " + files
	}
	switch {
	case l.Err != nil:
		return fmt.Sprintf("%s: left by an interrupted headroom fix; not removed: %v", name, l.Err)
	case !recovered:
		return fmt.Sprintf("%s: left by an interrupted headroom fix; headroom fix will %s and remove it", name, what)
	}
	return fmt.Sprintf("%s: left by an interrupted headroom fix: %s and removed it", name, done)
}

// Inspect says what Recover would do with each journal folder, touching
// nothing.
func Inspect(folders []string) []Leftover {
	out := make([]Leftover, 0, len(folders))
	for _, f := range folders {
		r, err := planRecovery(f)
		l := Leftover{Folder: f, Err: err}
		if r != nil {
			l.Forward, l.Files = r.forward, len(r.files)
			if l.Err == nil {
				_, l.Err = r.check()
			}
		}
		out = append(out, l)
	}
	return out
}

// Recover completes or rolls back the write set of each journal folder,
// then removes it. Nothing is touched unless every file of the set, and
// every file in the folders, holds a content the journal accounts for: a
// file changed since (neither its old nor its new content) or a file
// headroom did not write leaves the folders as they are, with Err saying
// why.
func Recover(folders []string) []Leftover {
	out := make([]Leftover, 0, len(folders))
	done := map[string]bool{}
	for _, f := range folders {
		abs, _ := filepath.Abs(f)
		if done[abs] {
			continue // a second folder of a run already recovered
		}
		r, err := planRecovery(f)
		l := Leftover{Folder: f, Err: err}
		if r != nil {
			l.Forward, l.Files = r.forward, len(r.files)
			for _, d := range r.dirs {
				a, _ := filepath.Abs(d)
				done[a] = true
			}
			if l.Err == nil {
				l.Err = r.apply()
			}
			l.Done = l.Err == nil
		}
		out = append(out, l)
	}
	return out
}

// recovery is one interrupted run: its folders (the first one first) and
// files.
type recovery struct {
	dirs    []string
	files   []recoveryFile
	forward bool
}

type recoveryFile struct {
	journalFile
	path, newFile, orig string // resolved
}

// planRecovery reads a journal folder, and the run's other folders, into
// a recovery, touching nothing. A journal can only name files inside the
// folder holding its journal folder (no "..", no symlinked folder), and
// other journal folders by their names: one committed to a repository by
// someone else cannot send a write elsewhere.
func planRecovery(dir string) (*recovery, error) {
	if pid, ok := journalPID(dir); ok && pid != os.Getpid() && alive(pid) {
		return nil, fmt.Errorf("a headroom fix still running (process %d) is writing it", pid)
	}
	j, err := readJournal(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// Killed before its journal was written: no file was replaced.
		return &recovery{dirs: []string{dir}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("its journal cannot be read: %v", err)
	}
	r := &recovery{}
	add := func(dir string, j *journal) error {
		base := filepath.Dir(dir)
		for _, f := range j.Files {
			p := filepath.Join(base, f.Path)
			if !filepath.IsLocal(f.Path) || inTree(base, p) != nil {
				return fmt.Errorf("its journal names %s, outside %s", f.Path, parsers.ShowPath(base))
			}
			r.files = append(r.files, recoveryFile{journalFile: f, path: p,
				newFile: filepath.Join(dir, filepath.Base(f.NewFile)), orig: filepath.Join(dir, filepath.Base(f.Orig))})
		}
		return nil
	}
	folder := func(from, rel string) (string, error) {
		if !strings.HasPrefix(filepath.Base(rel), stack.JournalDirPrefix) {
			return "", fmt.Errorf("its journal names %s, not a journal folder", rel)
		}
		return filepath.Join(filepath.Dir(from), rel), nil
	}
	primary := dir
	if j.Primary != "" {
		if primary, err = folder(dir, j.Primary); err != nil {
			return nil, err
		}
		pj, err := readJournal(primary)
		if errors.Is(err, fs.ErrNotExist) {
			// The first folder's journal is written after this one's:
			// the run never began replacing files.
			r.dirs = []string{dir}
			return r, add(dir, j)
		}
		if err != nil {
			return nil, fmt.Errorf("the run's first journal folder %s cannot be read: %v", parsers.ShowPath(primary), err)
		}
		j = pj
	}
	r.dirs, r.forward = []string{primary}, j.State == stateCommit
	if err := add(primary, j); err != nil {
		return r, err
	}
	for _, rel := range j.Folders {
		other, err := folder(primary, rel)
		if err != nil {
			return r, err
		}
		r.dirs = append(r.dirs, other)
		oj, err := readJournal(other)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // removed once its files were done
		case err != nil:
			return r, fmt.Errorf("the journal of %s cannot be read: %v", parsers.ShowPath(other), err)
		}
		if err := add(other, oj); err != nil {
			return r, err
		}
	}
	return r, nil
}

// journalPID is the process that named a journal folder.
func journalPID(dir string) (int, bool) {
	rest := strings.TrimPrefix(filepath.Base(dir), stack.JournalDirPrefix)
	pid, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, '-'), 0)])
	return pid, err == nil
}

// content is what a file of the set holds now, against the journal.
type content int

const (
	isOld content = iota
	isNew
	isPartNew // a prefix of the new content: an in-place write cut short
	isOther
)

func (f recoveryFile) content() (content, []byte, error) {
	b, err := os.ReadFile(f.path)
	if err != nil {
		return isOther, nil, err
	}
	switch digest(b) {
	case f.Old:
		return isOld, b, nil
	case f.New:
		return isNew, b, nil
	}
	if f.InPlace && bytes.HasPrefix(f.NewContent, b) {
		return isPartNew, b, nil
	}
	return isOther, b, nil
}

// check verifies every file against the journal before anything is
// touched and returns, per file, what it holds.
func (r *recovery) check() ([]content, error) {
	states := make([]content, len(r.files))
	for i, f := range r.files {
		c, _, err := f.content()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", parsers.ShowPath(f.path), err)
		}
		if c == isOther {
			return nil, fmt.Errorf("%s changed since (it holds neither its old nor its new content); check it, then delete the folder", parsers.ShowPath(f.path))
		}
		if !r.forward && c != isOld && f.OldContent == nil && !f.InPlace {
			if b, err := os.ReadFile(f.orig); err != nil || digest(b) != f.Old {
				return nil, fmt.Errorf("%s: its original is missing from the journal folder", parsers.ShowPath(f.path))
			}
		}
		states[i] = c
	}
	if err := r.checkFolders(); err != nil {
		return nil, err
	}
	return states, nil
}

// checkFolders refuses folders holding a file headroom did not write
// there, or one whose content is not what it wrote: a new-content file is
// the journal's new content, or the start of it (cut short while
// written); a backup is the original.
func (r *recovery) checkFolders() error {
	known := map[string]recoveryFile{}
	for _, f := range r.files {
		known[f.newFile], known[f.orig] = f, f
	}
	for _, dir := range r.dirs {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			f, ok := known[p]
			switch {
			case e.Name() == journalName || e.Name() == journalTemp:
				continue
			case !ok || !e.Type().IsRegular():
				return fmt.Errorf("%s was not written by headroom; not touched", parsers.ShowPath(p))
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if p == f.newFile && !bytes.HasPrefix(f.NewContent, b) ||
				p == f.orig && digest(b) != f.Old && (f.OldContent == nil || !bytes.HasPrefix(f.OldContent, b)) {
				return fmt.Errorf("%s holds content headroom did not write; not touched", parsers.ShowPath(p))
			}
		}
	}
	return nil
}

// apply completes or rolls back the set, then removes the folders.
func (r *recovery) apply() error {
	states, err := r.check()
	if err != nil {
		return err
	}
	for i, f := range r.files {
		switch {
		case r.forward && states[i] == isNew, !r.forward && states[i] == isOld:
			continue
		case r.forward && !f.InPlace:
			err = replaceFrom(f.newFile, f.path, f.NewContent)
		case r.forward:
			err = overwrite(f.path, f.NewContent)
		case f.InPlace:
			err = overwrite(f.path, f.OldContent)
		case f.OldContent != nil:
			err = replaceFrom(f.orig, f.path, f.OldContent)
		default:
			err = os.Rename(f.orig, f.path)
		}
		if err != nil {
			return fmt.Errorf("%s: %v", parsers.ShowPath(f.path), err)
		}
	}
	return removeFolders(r.dirs)
}

// replaceFrom renames the journal folder's file name over path, first
// writing data into it (with path's attributes) unless it holds data
// whole.
func replaceFrom(name, path string, data []byte) error {
	if b, err := os.ReadFile(name); err != nil || !bytes.Equal(b, data) {
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		if err := writeTemp(name, path, info, data); err != nil {
			return err
		}
	}
	return os.Rename(name, path)
}

// removeFolders removes journal folders, the first one's journal last.
func removeFolders(dirs []string) error {
	for i := len(dirs) - 1; i >= 0; i-- {
		entries, _ := os.ReadDir(dirs[i])
		for _, e := range entries {
			if e.Name() != journalName {
				_ = os.Remove(filepath.Join(dirs[i], e.Name()))
			}
		}
		_ = os.Remove(filepath.Join(dirs[i], journalName))
		if err := os.Remove(dirs[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
