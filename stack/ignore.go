package stack

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/headroom-dev/headroom/internal/fsread"
)

// ignorer answers whether git ignores a path, from the .gitignore of every
// folder between the repository's root and the path, then the repository's
// .git/info/exclude. Outside a git repository the .gitignore files from
// the walked folder down still count: a tree copied out of its repository
// lints the same.
type ignorer struct {
	// gitignore holds each folder's .gitignore patterns, read on first
	// use (nil: the folder has none); exclude, each repository root's
	// .git/info/exclude. Keys are absolute folder paths.
	gitignore, exclude map[string][]gitignore.Pattern
}

func newIgnorer() *ignorer {
	return &ignorer{gitignore: map[string][]gitignore.Pattern{}, exclude: map[string][]gitignore.Pattern{}}
}

// top returns the folder whose ignore files are the outermost that apply
// to a walk of dir (absolute): the root of dir's repository, else dir.
func (g *ignorer) top(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			if _, seen := g.exclude[d]; !seen {
				g.exclude[d] = readPatterns(filepath.Join(d, ".git", "info", "exclude"), d)
			}
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// ignored reports whether p (absolute, below top) is ignored. The deepest
// folder's patterns decide first, and within a file the last matching
// line, as in git.
func (g *ignorer) ignored(top, p string, isDir bool) bool {
	path := split(p)
	for d := filepath.Dir(p); ; d = filepath.Dir(d) {
		ps, seen := g.gitignore[d]
		if !seen {
			ps = readPatterns(filepath.Join(d, ".gitignore"), d)
			g.gitignore[d] = ps
		}
		if m := match(ps, path, isDir); m != gitignore.NoMatch {
			return m == gitignore.Exclude
		}
		if d == top || filepath.Dir(d) == d {
			return match(g.exclude[d], path, isDir) == gitignore.Exclude
		}
	}
}

func match(ps []gitignore.Pattern, path []string, isDir bool) gitignore.MatchResult {
	for i := len(ps) - 1; i >= 0; i-- {
		if m := ps[i].Match(path, isDir); m != gitignore.NoMatch {
			return m
		}
	}
	return gitignore.NoMatch
}

// readPatterns parses an ignore file whose patterns are relative to dir;
// a missing or unreadable file has none.
func readPatterns(file, dir string) []gitignore.Pattern {
	// Bounded, and only a regular file: a .gitignore linked to a FIFO or
	// to /dev/zero must not block or exhaust the run.
	src, err := fsread.Regular(file, MaxFileSize)
	if err != nil {
		return nil
	}
	domain := split(dir)
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

func split(p string) []string {
	return strings.Split(filepath.ToSlash(p), "/")
}
