package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// testStacks are the folders of testdata that hold one deployment each.
func testStacks(t *testing.T) []string {
	t.Helper()
	dirs := []string{"../../testdata/wingman"}
	for _, parent := range []string{"../../testdata/realworld", "../../internal/e2e/testdata"} {
		es, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(parent, e.Name()))
			}
		}
	}
	return dirs
}

// findingBlocks splits lint's text output into findings (a line and its
// indented related lines), keyed by the finding's path.
func findingBlocks(out string) map[string][]string {
	blocks := map[string][]string{}
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			path, _, _ := strings.Cut(cur[0], ":")
			blocks[path] = append(blocks[path], strings.Join(cur, "\n"))
		}
		cur = nil
	}
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "    ") && cur != nil:
			cur = append(cur, line)
		case strings.Contains(line, ": HR"):
			flush()
			cur = []string{line}
		default:
			flush()
		}
	}
	flush()
	return blocks
}

// TestNamedFileInItsDeployment is the property of a named file: on every
// stack of testdata, for every file F headroom reads, `lint F` reports
// exactly what `lint .` reports in F, and `fix F` applies no fix that `fix .`
// does not (and edits F alone).
func TestNamedFileInItsDeployment(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every testdata stack once per file")
	}
	for _, src := range testStacks(t) {
		t.Run(filepath.Base(src), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			lint := func(args ...string) string {
				var out, errOut bytes.Buffer
				run(append([]string{"lint", "--quiet"}, args...), strings.NewReader(""), &out, &errOut)
				return out.String()
			}
			whole := findingBlocks(lint("."))
			var files []string
			filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".golden") && !strings.HasSuffix(p, "README") && !strings.HasSuffix(p, ".md") {
					files = append(files, filepath.ToSlash(p))
				}
				return nil
			})
			wholeFix := appliedKeys(t, scopeOf([]string{"."}))
			for _, f := range files {
				got := findingBlocks(lint(f))
				for path := range got {
					if path != f {
						t.Errorf("lint %s reports a finding in %s", f, path)
					}
				}
				if g, w := strings.Join(got[f], "\n"), strings.Join(whole[f], "\n"); g != w {
					t.Errorf("lint %s:\n%s\nlint . in %s:\n%s", f, g, f, w)
				}
				for k, paths := range appliedKeys(t, scopeOf([]string{f})) {
					for _, path := range paths {
						if path != f {
							t.Errorf("fix %s edits %s", f, path)
						}
					}
					if _, ok := wholeFix[k]; !ok {
						t.Errorf("fix %s applies a fix fix . does not: %s", f, k)
					}
				}
			}
		})
	}
}

// appliedKeys runs fix (all phases, safe fixes) on the scope as the CLI
// does and returns each applied finding's key with the files its fix edits.
func appliedKeys(t *testing.T, sc scope) map[string][]string {
	t.Helper()
	sts, _ := stack.LoadDeployments(sc.load, stack.MaxFileSize, stack.DiscoverOptions{})
	rs, err := rules.Selection{MaxPhase: 3}.Rules()
	if err != nil {
		t.Fatal(err)
	}
	opts := driver.Options{Rules: rs}
	if sc.named != nil {
		opts.Editable = sc.editable
	}
	res := driver.FixAll(sts, opts)
	out := map[string][]string{}
	for _, d := range sc.keep(res.Applied) {
		var paths []string
		if f := d.SafeFix(); f != nil {
			for _, e := range f.Edits {
				paths = append(paths, e.Path)
			}
		}
		sort.Strings(paths)
		out[d.Rule.ID+" "+d.Doc.Path+" "+d.Message] = paths
	}
	return out
}
