package stack

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/headroom-dev/headroom/internal/fsread"
	"github.com/headroom-dev/headroom/internal/parallel"
	"github.com/headroom-dev/headroom/parsers"
)

// MaxFileSize is the default limit on the size of one file; larger files
// are reported, not read. Deployment files are small; a 50 MB "nginx.conf"
// is a mistake or an attack.
const MaxFileSize = 10 << 20

// skipDirs are folders that never hold a deployment's own files.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "__pycache__": true,
	".venv": true, "venv": true, ".tox": true, ".nox": true, ".mypy_cache": true,
	".ruff_cache": true, ".pytest_cache": true, "site-packages": true, "dist": true, "build": true,
}

// DiscoverOptions changes what Discover skips.
type DiscoverOptions struct {
	// NoIgnore walks gitignored folders and files too.
	NoIgnore bool
}

// Discover walks each path and returns the deployment files under it, with
// their kinds, in a stable order. It does not enter version-control
// folders, node_modules, virtualenvs, caches or gitignored folders. A path
// given explicitly is always returned if it is a file (kind detected by
// name, else unknown), ignored or not.
func Discover(paths []string) ([]Candidate, []error) {
	return DiscoverWith(paths, DiscoverOptions{})
}

// DiscoverWith is Discover with options.
func DiscoverWith(paths []string, opt DiscoverOptions) ([]Candidate, []error) {
	cands, _, errs := DiscoverTree(paths, opt)
	return cands, errs
}

// DiscoverTree is DiscoverWith that also returns the Tree of the folders
// among paths: every file walked past, read or not.
func DiscoverTree(paths []string, opt DiscoverOptions) ([]Candidate, *Tree, []error) {
	tree := NewTree(dirRoots(paths)...)
	var ign *ignorer
	if !opt.NoIgnore {
		ign = newIgnorer()
	}
	var out []Candidate
	var errs []error
	seen := map[string]bool{}
	add := func(c Candidate) {
		if !seen[c.Path] {
			seen[c.Path] = true
			out = append(out, c)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			errs = append(errs, &parsers.Error{Path: root, Msg: cleanErr(err)})
			continue
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				// A FIFO or device named on the command line would block
				// the read, or never end.
				errs = append(errs, &parsers.Error{Path: root, Msg: "not a regular file"})
				continue
			}
			kind := parsers.Detect(root, head(root))
			if kind == parsers.KindUnknown {
				errs = append(errs, &parsers.Error{Path: root, Msg: "not a file headroom reads (Dockerfile, nginx .conf, compose YAML, Django settings .py, requirements)"})
				continue
			}
			add(Candidate{Path: root, Kind: kind})
			continue
		}
		// A folder named through a symlink is followed, as find -H does;
		// the symlinks inside it are not.
		if li, err := os.Lstat(root); err == nil && li.Mode()&os.ModeSymlink != 0 {
			root += string(filepath.Separator)
		}
		// Ignore patterns match absolute paths: the same folder reached
		// from two arguments, or from above and below, reads the same.
		var abs, top string
		if ign != nil {
			if abs, err = filepath.Abs(root); err != nil {
				errs = append(errs, &parsers.Error{Path: root, Msg: cleanErr(err)})
				continue
			}
			top = ign.top(abs)
			// A folder named explicitly is walked even when ignored; then
			// only the ignore files inside it count.
			if top != abs && ign.ignored(top, abs, true) {
				top = abs
			}
		}
		isIgnored := func(p string, isDir bool) bool {
			if ign == nil || p == root {
				return false
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return false
			}
			return ign.ignored(top, filepath.Join(abs, rel), isDir)
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &parsers.Error{Path: p, Msg: cleanErr(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != root && (skipDirs[d.Name()] || isVirtualenv(p) || isIgnored(p, true)) {
					return fs.SkipDir
				}
				return nil
			}
			tree.Add(p)
			if !d.Type().IsRegular() {
				return nil // symlinks are not followed: no loops, nothing outside the tree
			}
			// A file whose name alone rules it out is not matched against
			// the ignore files; an ignored one is not opened.
			slash := filepath.ToSlash(p)
			needs := needsHead(slash)
			if !needs && parsers.Detect(slash, nil) == parsers.KindUnknown || isIgnored(p, false) {
				return nil
			}
			var h []byte
			if needs {
				h = head(p)
			}
			if kind := parsers.Detect(slash, h); kind != parsers.KindUnknown {
				add(Candidate{Path: p, Kind: kind})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, tree, errs
}

// Candidate is a file discovery chose, not yet read.
type Candidate struct {
	Path string
	Kind parsers.Kind
}

func isVirtualenv(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil
}

// head reads the first 64 KiB of a file, enough to see module-level
// DATABASES/CACHES assignments in any real settings module.
func head(p string) []byte {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(f, 64<<10))
	return b
}

func cleanErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Read reads and parses the candidates, GOMAXPROCS files at a time. Files
// and errors come back in the candidates' order, whatever order the
// workers finish in. A file that cannot be read or parsed yields an error
// and is left out; the others still load.
func Read(cands []Candidate, maxSize int64) ([]*File, []error) {
	type result struct {
		f   *File
		err error
	}
	results := make([]result, len(cands))
	parallel.Each(len(cands), func(i int) {
		c := cands[i]
		src, err := readFile(c.Path, maxSize)
		if err != nil {
			results[i].err = err
			return
		}
		if parsers.IsTemplated(filepath.ToSlash(c.Path), src) {
			results[i].err = &Skip{Path: filepath.ToSlash(c.Path), Reason: "a template (Jinja or cookiecutter), not the deployment's own text"}
			return
		}
		results[i].f, results[i].err = Parse(parsers.NewDocument(filepath.ToSlash(c.Path), c.Kind, src))
	})
	var files []*File
	var errs []error
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		files = append(files, r.f)
	}
	return files, errs
}

func readFile(p string, maxSize int64) ([]byte, error) {
	if maxSize <= 0 {
		maxSize = MaxFileSize
	}
	src, err := fsread.Regular(p, maxSize)
	var tl *fsread.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, &parsers.Error{Path: filepath.ToSlash(p), Msg: fmt.Sprintf("larger than the %d-byte limit (--max-file-size)", maxSize)}
	case err != nil:
		return nil, &parsers.Error{Path: filepath.ToSlash(p), Msg: cleanErr(err)}
	}
	return src, nil
}

// Load discovers, reads and parses everything under paths.
func Load(paths []string, maxSize int64) (*Stack, []error) {
	return LoadWith(paths, maxSize, DiscoverOptions{})
}

// LoadWith is Load with discovery options.
func LoadWith(paths []string, maxSize int64, opt DiscoverOptions) (*Stack, []error) {
	files, tree, skipped, errs := load(paths, maxSize, opt)
	s := New(files)
	s.Tree = tree
	s.Skipped = append(skipped, s.Skipped...)
	return s, errs
}

// load discovers, reads and parses; templates come back as notices.
func load(paths []string, maxSize int64, opt DiscoverOptions) ([]*File, *Tree, []Skipped, []error) {
	cands, tree, errs := DiscoverTree(paths, opt)
	files, rerrs := Read(cands, maxSize)
	// nginx files the deployment mounts or copies into nginx under a name
	// discovery does not know (.docker/nginx.conf.nginx).
	known := map[string]bool{}
	for _, c := range cands {
		known[path.Clean(filepath.ToSlash(c.Path))] = true
	}
	var more []Candidate
	for _, c := range ReferencedNginx(files, dirRoots(paths), "") {
		if !known[c.Path] {
			more = append(more, c)
		}
	}
	if len(more) > 0 {
		mf, merrs := Read(more, maxSize)
		files = append(files, mf...)
		rerrs = append(rerrs, merrs...)
		sort.SliceStable(files, func(i, j int) bool { return files[i].Doc.Path < files[j].Doc.Path })
	}
	var skipped []Skipped
	for _, err := range rerrs {
		var sk *Skip
		if errors.As(err, &sk) {
			skipped = append(skipped, Skipped{Path: sk.Path, Reason: sk.Reason})
			continue
		}
		errs = append(errs, err)
	}
	return files, tree, skipped, errs
}

// dirRoots are the folders among paths: where files a deployment refers
// to may be read from.
func dirRoots(paths []string) []string {
	var out []string
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			out = append(out, filepath.ToSlash(p))
		}
	}
	return out
}

// needsHead says whether detection needs a file's first bytes: Python
// modules (settings without the name), shell scripts and extensionless
// files (start scripts, recognised by shebang and the server they run),
// and files named like nginx outside an nginx folder (parsers.NginxName).
func needsHead(p string) bool {
	name := path.Base(p)
	return strings.HasSuffix(name, ".py") || strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".bash") || !strings.Contains(name, ".") || parsers.NginxName(p)
}

// Skip is the error Read gives for a file it leaves alone on purpose (a
// template); Load turns it into a Stack.Skipped notice, not an error.
type Skip struct {
	Path   string
	Reason string
}

func (s *Skip) Error() string { return s.Path + ": skipped: " + s.Reason }
