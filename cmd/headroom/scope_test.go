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

// testStack is one deployment of testdata: its folders, copied one over
// the other (a validation case is its app with its configuration's files
// beside it, as internal/validate builds it).
type testStack struct {
	name   string
	layers []string
}

// notStacks are the folders of testdata that hold no deployment: the CLI
// scripts (txtar archives) and a declared-infrastructure file.
//
// validate/wingman's requirements.txt is written over the report stack's by
// internal/validate (the Debian versions measured); the stack judged here
// is its app over the report's stack, with the report's requirements.
var notStacks = []string{"../../testdata/script", "../../testdata/config", "../../testdata/validate/wingman/requirements.txt"}

// testStacks are the deployments of testdata: the report's stack, each
// folder of realworld, trust, the accuracy corpora and the e2e stacks, and
// each validation case (an app of testdata/validate with one of its
// configs).
func testStacks(t *testing.T) []testStack {
	t.Helper()
	subdirs := func(parent string) []string {
		es, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		var dirs []string
		for _, e := range es {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(parent, e.Name()))
			}
		}
		return dirs
	}
	sts := []testStack{{"wingman", []string{"../../testdata/wingman"}}}
	for _, parent := range []string{"../../testdata/realworld", "../../testdata/trust", "../../testdata/corpus", "../../testdata/corpus-blind", "../../testdata/corpus-fresh", "../../testdata/corpus-heldout", "../../internal/e2e/testdata"} {
		for _, d := range subdirs(parent) {
			sts = append(sts, testStack{filepath.Base(parent) + "/" + filepath.Base(d), []string{d}})
		}
	}
	for _, v := range []string{"validate", "validate/pg", "validate/redis", "validate/celery"} {
		base := "../../testdata/" + v
		for _, c := range subdirs(base + "/configs") {
			sts = append(sts, testStack{v + "/" + filepath.Base(c), []string{base + "/app", c}})
		}
	}
	sts = append(sts, testStack{"validate/wingman", []string{"../../testdata/validate/wingman/app", "../../testdata/wingman"}})
	return sts
}

// TestTestStacksCoverTestdata: every file of testdata that headroom reads
// (lint testdata's discovery) is in a stack the property test judges, or
// in a folder that holds no deployment.
func TestTestStacksCoverTestdata(t *testing.T) {
	var in []string
	for _, st := range testStacks(t) {
		in = append(in, st.layers...)
	}
	in = append(in, notStacks...)
	sts, _ := stack.LoadDeployments([]string{"../../testdata"}, stack.MaxFileSize, stack.DiscoverOptions{})
	read := 0
	for _, st := range sts {
		for _, f := range st.Files {
			read++
			covered := false
			for _, dir := range in {
				if within(filepath.ToSlash(dir), f.Doc.Path) || filepath.ToSlash(dir) == f.Doc.Path {
					covered = true
				}
			}
			if !covered {
				t.Errorf("%s: read by headroom, in no stack of testStacks", f.Doc.Path)
			}
		}
	}
	if read < 500 {
		t.Errorf("lint testdata read %d files", read)
	}
}

func within(dir, path string) bool {
	return strings.HasPrefix(path, strings.TrimSuffix(dir, "/")+"/")
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
	for _, st := range testStacks(t) {
		t.Run(st.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, src := range st.layers {
				if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
					t.Fatal(err)
				}
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
