package queries_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/rules"

	"github.com/headroom-dev/headroom/rules/queries"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestNPlusOne(t *testing.T) {
	rulestest.Run(t, queries.NPlusOne, "testdata/drf-n-plus-one")
}

func TestMissingIndex(t *testing.T) {
	rulestest.Run(t, queries.MissingIndex, "testdata/django-missing-index")
}

func TestReferenceCache(t *testing.T) {
	rulestest.Run(t, queries.ReferenceCache, "testdata/django-uncached-reference-data")
}

// HR211's index fixes are never safe (every index costs each write, and
// its migration locks a big table while it builds): apply them with
// --unsafe-fixes and compare each changed file with its .unsafe file.
func TestMissingIndexUnsafeFix(t *testing.T) {
	root := "testdata/django-missing-index"
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			s := rulestest.Load(t, dir)
			res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{queries.MissingIndex}, Unsafe: true})
			if len(res.Dropped) > 0 {
				t.Fatalf("dropped %v", res.Dropped)
			}
			for _, f := range res.Stack.Files {
				golden := filepath.Join(dir, f.Doc.Path+".unsafe")
				orig, _ := os.ReadFile(filepath.Join(dir, f.Doc.Path))
				if string(orig) == string(f.Doc.Src) {
					if _, err := os.Stat(golden); err == nil {
						t.Errorf("%s: unchanged, but %s exists", f.Doc.Path, golden)
					}
					continue
				}
				if *updateUnsafe {
					os.WriteFile(golden, f.Doc.Src, 0o644)
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%s changed and has no .unsafe: %v", f.Doc.Path, err)
				}
				if string(want) != string(f.Doc.Src) {
					t.Errorf("%s differs from %s:\n%s", f.Doc.Path, golden, edit.Diff(f.Doc.Path, want, f.Doc.Src))
				}
				realtools.PyCompile(t, f.Doc.Path, f.Doc.Src)
			}
			again := driver.Fix(res.Stack, driver.Options{Rules: []*rules.Rule{queries.MissingIndex}, Unsafe: true})
			if len(again.Changed) > 0 {
				t.Errorf("a second unsafe fix changed %v", again.Changed)
			}
		})
	}
}

var updateUnsafe = flag.Bool("update-unsafe", false, "rewrite the .unsafe files of HR211")
