package trust

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

// TestFixSettingsOnce fixes the example stack with real settings modules of
// the corpus in place of its own, every rule and unsafe fixes on: a second
// fix must change nothing, and no fix may keep changing its file. As a
// fuzz seed, hacksoft-styleguide's base.py had HR201's OPTIONS pool fix
// appended on every run: the finding was on the DATABASES a conditional
// block rebinds, and the new key went after an earlier statement, into the
// dict that block replaces.
func TestFixSettingsOnce(t *testing.T) {
	base := rulestest.Load(t, root+"/testdata/wingman")
	var target string
	for _, file := range base.Files {
		if file.Doc.Kind == parsers.KindPython {
			target = file.Doc.Path
		}
	}
	paths, _ := filepath.Glob(root + "/testdata/corpus/*/*.py")
	for _, pat := range []string{"/testdata/corpus/*/*/*.py", "/testdata/corpus/*/*/*/*.py", "/testdata/corpus/*/*/*/*/*.py", "/testdata/corpus/*/*/*/*/*/*.py"} {
		more, _ := filepath.Glob(root + pat)
		paths = append(paths, more...)
	}
	hacksoft := root + "/testdata/corpus/hacksoft-styleguide/config/django/base.py"
	orig, err := os.ReadFile(hacksoft)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		// The same file with a block that is not CI-only: the conditional
		// DATABASES is judged, and the fix must land where the next run
		// sees it.
		hacksoft + " (GITHUB_WORKFLOW renamed)": bytes.ReplaceAll(orig, []byte("GITHUB_WORKFLOW"), []byte("USE_LOCAL_DB")),
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases[p] = src
	}
	for p, src := range cases {
		in, err := stack.Parse(parsers.NewDocument(target, parsers.KindPython, src))
		if err != nil {
			t.Fatal(err)
		}
		files := []*stack.File{in}
		for _, file := range base.Files {
			if file.Doc.Path != target {
				files = append(files, file)
			}
		}
		opt := driver.Options{Rules: rules.All(), Unsafe: true}
		res := driver.Fix(stack.New(files), opt)
		for _, d := range res.Unstable {
			t.Errorf("%s: %s", p, driver.Unsettled(d))
		}
		again := driver.Fix(res.Stack, opt)
		for _, doc := range again.Changed {
			t.Errorf("%s: a second fix changed %s again:\n%s", p, doc.Path, edit.Diff(doc.Path, again.Original[doc.Path], doc.Src))
		}
	}
}
