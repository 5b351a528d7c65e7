// Package seeds gathers fuzz seed corpora from the repository's own test
// stacks: every file under a testdata folder, by the kind headroom detects.
package seeds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

// Seed is one file to start fuzzing from.
type Seed struct {
	Path string // relative to the repository root
	Src  []byte
}

// Of returns the seeds of a kind, found under every testdata folder of the
// repository (goldens included: fixed files are inputs too), except the
// accuracy corpora (testdata/corpus and every testdata/corpus-NAME set
// beside it): third-party projects that `make accuracy`
// measures, not inputs written for the tests.
func Of(t testing.TB, kind parsers.Kind) []Seed {
	t.Helper()
	root := repoRoot(t)
	var out []Seed
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "fuzz" {
				return filepath.SkipDir
			}
			if rel, _ := filepath.Rel(root, p); isCorpus(filepath.ToSlash(rel)) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !strings.Contains(rel, "testdata/") {
			return nil
		}
		name := strings.TrimSuffix(rel, ".golden")
		src, err := os.ReadFile(p)
		if err != nil || parsers.Detect(name, src) != kind {
			return nil
		}
		out = append(out, Seed{Path: name, Src: src})
		return nil
	})
	return out
}

// isCorpus reports whether a directory (relative to the repository root,
// with slashes) is one of the accuracy corpora: testdata/corpus or a
// testdata/corpus-NAME set beside it.
func isCorpus(rel string) bool {
	return rel == "testdata/corpus" || strings.HasPrefix(rel, "testdata/corpus-")
}

func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
