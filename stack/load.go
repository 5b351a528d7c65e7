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

// JournalDirPrefix begins the name of the folder a fix keeps its
// temporary files and journal in while it writes (see driver.WriteAll):
// discovery never reads into one, and the next run recovers it.
const JournalDirPrefix = ".headroom-fix-"

// SkipsFolder reports whether discovery leaves a folder of this name
// unwalked: version control, dependencies, caches, a fix's journal folder.
func SkipsFolder(name string) bool {
	return skipDirs[name] || strings.HasPrefix(name, JournalDirPrefix)
}

// DiscoverOptions changes what Discover skips.
type DiscoverOptions struct {
	// NoIgnore walks gitignored folders and files too.
	NoIgnore bool
	// Overlay replaces the content of files, by path as discovery names
	// them (slash-separated, cleaned): an editor's unsaved buffer, or a
	// file read from standard input in its deployment. An overlay path
	// named explicitly is read even where no file exists on disk yet.
	Overlay map[string][]byte
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
	var pending []string // files to detect by their head
	seen := map[string]bool{}
	add := func(c Candidate) {
		if !seen[c.Path] {
			seen[c.Path] = true
			out = append(out, c)
		}
	}
	for _, root := range paths {
		if src, ok := opt.Overlay[filepath.ToSlash(filepath.Clean(root))]; ok {
			// A buffer stands for the file, on disk or not.
			root = filepath.Clean(root)
			kind := parsers.Detect(filepath.ToSlash(root), src)
			if kind == parsers.KindUnknown && strings.HasSuffix(root, ".py") {
				kind = parsers.KindPython // named explicitly: a settings module
			}
			if kind == parsers.KindUnknown {
				errs = append(errs, &parsers.Error{Path: filepath.ToSlash(root), Msg: "not a file headroom reads (Dockerfile, nginx .conf, compose YAML, Django settings .py, requirements)"})
				continue
			}
			add(Candidate{Path: root, Kind: kind, Src: src})
			continue
		}
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
				if p != root && (SkipsFolder(d.Name()) || isVirtualenv(p) || isIgnored(p, true)) {
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
			kind := parsers.KindUnknown
			if !needs {
				if kind = parsers.Detect(slash, nil); kind == parsers.KindUnknown {
					return nil
				}
			}
			switch {
			case isIgnored(p, false):
			case needs:
				pending = append(pending, p) // detected below, with its head
			default:
				add(overlaid(Candidate{Path: p, Kind: kind}, opt.Overlay))
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	// The files whose kind their first bytes decide are read on every
	// core.
	kinds := make([]parsers.Kind, len(pending))
	parallel.Each(len(pending), func(i int) {
		h, ok := opt.Overlay[filepath.ToSlash(pending[i])]
		if !ok {
			h = head(pending[i])
		}
		kinds[i] = parsers.Detect(filepath.ToSlash(pending[i]), h)
	})
	for i, p := range pending {
		if kinds[i] != parsers.KindUnknown {
			add(overlaid(Candidate{Path: p, Kind: kinds[i]}, opt.Overlay))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, tree, errs
}

// Candidate is a file discovery chose, not yet read.
type Candidate struct {
	Path string
	Kind parsers.Kind
	// Src, when set, is the content to read instead of the file's
	// (DiscoverOptions.Overlay).
	Src []byte
}

// overlaid gives c the overlay's content for its path, if any.
func overlaid(c Candidate, overlay map[string][]byte) Candidate {
	if src, ok := overlay[filepath.ToSlash(c.Path)]; ok {
		c.Src = src
	}
	return c
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
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil
	}
	// Up to the size the file had when opened, in one read where the
	// kernel allows: nothing past the head is needed, not even the end.
	// A file that says it is empty (as some file systems' files do) is
	// read up to the limit.
	size := info.Size()
	if size <= 0 || size > 64<<10 {
		size = 64 << 10
	}
	b := make([]byte, size)
	n, _ := io.ReadFull(f, b)
	return b[:n]
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
		results[i].f, results[i].err = readOne(cands[i], maxSize)
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

// readOne reads and parses one candidate; a template is a *Skip error.
func readOne(c Candidate, maxSize int64) (*File, error) {
	src := c.Src
	if src == nil {
		var err error
		if src, err = readFile(c.Path, maxSize); err != nil {
			return nil, err
		}
	} else if maxSize > 0 && int64(len(src)) > maxSize {
		return nil, &parsers.Error{Path: filepath.ToSlash(c.Path), Msg: fmt.Sprintf("larger than the %d-byte limit (--max-file-size)", maxSize)}
	}
	return ParseOrSkip(parsers.NewDocument(filepath.ToSlash(c.Path), c.Kind, src))
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
	if more := referencedNginx(cands, files, paths); len(more) > 0 {
		mf, merrs := Read(more, maxSize)
		files = append(files, mf...)
		rerrs = append(rerrs, merrs...)
		sort.SliceStable(files, func(i, j int) bool { return files[i].Doc.Path < files[j].Doc.Path })
	}
	skipped, rerrs := skips(rerrs)
	return files, tree, skipped, append(errs, rerrs...)
}

// referencedNginx are the nginx files the deployment mounts or copies into
// nginx under a name discovery does not know (.docker/nginx.conf.nginx),
// as ReferencedNginx finds them from files, less those among cands.
func referencedNginx(cands []Candidate, files []*File, paths []string) []Candidate {
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
	return more
}

// skips splits Read's errors into the templates it skipped and the rest;
// nil errors are dropped.
func skips(errs []error) ([]Skipped, []error) {
	var skipped []Skipped
	var rest []error
	for _, err := range errs {
		var sk *Skip
		switch {
		case err == nil:
		case errors.As(err, &sk):
			skipped = append(skipped, Skipped{Path: sk.Path, Reason: sk.Reason})
		default:
			rest = append(rest, err)
		}
	}
	return skipped, rest
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
// .conf files (an env file in conf.d is not nginx), and files named like
// nginx outside an nginx folder (parsers.NginxName).
func needsHead(p string) bool {
	name := path.Base(p)
	return strings.HasSuffix(name, ".py") || strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".bash") || strings.HasSuffix(name, ".conf") || !strings.Contains(name, ".") || parsers.NginxName(p)
}

// ParseOrSkip parses doc, or gives a *Skip for a template it cannot read
// before rendering: one with `{% if %}`-style tags, or one whose
// placeholders (`{{ var }}`) leave it unparsable as it stands. A template
// whose placeholders are only values (cookiecutter paths, a module name
// `{{ project_name }}.wsgi`) is parsed, its placeholders opaque.
func ParseOrSkip(doc *parsers.Document) (*File, error) {
	if parsers.IsTemplated(doc.Src) {
		return nil, &Skip{Path: doc.Path, Reason: "a template whose {% %} tags make its lines conditional (Jinja or cookiecutter): not read before it is rendered"}
	}
	f, err := Parse(doc)
	if err != nil && len(parsers.TemplateSpans(doc.Src)) > 0 {
		return nil, &Skip{Path: doc.Path, Reason: "a template (Jinja or cookiecutter) that does not parse until it is rendered: " + err.Error()}
	}
	return f, err
}

// Skip is the error Read gives for a file it leaves alone on purpose (a
// template); Load turns it into a Stack.Skipped notice, not an error.
type Skip struct {
	Path   string
	Reason string
}

func (s *Skip) Error() string { return s.Path + ": skipped: " + s.Reason }
