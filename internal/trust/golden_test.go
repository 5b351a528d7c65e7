package trust

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

// updating reports go test -update, the flag rulestest defines: it also
// rewrites the goldens of testdata/trust.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

const root = "../.."

// TestFormGoldens fixes each stack of testdata/trust with every rule and
// compares each changed file with its .golden. The stacks are written to
// trigger real fixes in files with CRLF line endings, a UTF-8 BOM, no final
// newline, tab indentation, comments and either quote style; besides the
// goldens, each of those properties is checked directly, so an -update
// cannot bless a fix that loses one.
func TestFormGoldens(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(root, "testdata/trust/*"))
	if len(dirs) == 0 {
		t.Fatal("no stacks under testdata/trust")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s := rulestest.Load(t, dir)
			res := driver.Fix(s, driver.Options{Rules: rules.All()})
			for _, d := range res.Dropped {
				if !d.Budget {
					t.Errorf("%s", d)
				}
			}
			if len(res.Changed) == 0 {
				t.Fatal("no fix applied: the stack no longer tests anything")
			}
			for _, f := range s.Files {
				p := f.Doc.Path
				fixed := res.Stack.File(p).Doc.Src
				golden := filepath.Join(dir, filepath.FromSlash(p)+".golden")
				if updating() {
					if !bytes.Equal(fixed, f.Doc.Src) {
						os.WriteFile(golden, fixed, 0o644)
					} else {
						os.Remove(golden)
					}
				}
				want, err := os.ReadFile(golden)
				switch {
				case err == nil && !bytes.Equal(want, fixed):
					t.Errorf("%s: fixed output differs from its .golden:\n%s", p, edit.Diff(p, want, fixed))
				case err != nil && !bytes.Equal(fixed, f.Doc.Src):
					t.Errorf("%s: changed but has no .golden (go test -update, then read it):\n%s", p, edit.Diff(p, f.Doc.Src, fixed))
				}
				if !bytes.Equal(fixed, f.Doc.Src) {
					checkForm(t, p, f.Doc.Src, fixed)
				}
			}
			checkReal(t, res)
			again := driver.Fix(res.Stack, driver.Options{Rules: rules.All()})
			for _, doc := range again.Changed {
				t.Errorf("%s: a second fix changed it again:\n%s", doc.Path, edit.Diff(doc.Path, again.Original[doc.Path], doc.Src))
			}
		})
	}
}

// checkForm fails t when fixed lost a property of the author's form that
// orig had.
func checkForm(t *testing.T, path string, orig, fixed []byte) {
	t.Helper()
	bom := []byte("\ufeff")
	if bytes.HasPrefix(orig, bom) != bytes.HasPrefix(fixed, bom) {
		t.Errorf("%s: the BOM was lost or added", path)
	}
	if bytes.Count(orig, []byte("\r\n")) > 0 && bytes.Count(orig, []byte("\n")) == bytes.Count(orig, []byte("\r\n")) &&
		bytes.Count(fixed, []byte("\n")) != bytes.Count(fixed, []byte("\r\n")) {
		t.Errorf("%s: CRLF file now has bare LF line endings", path)
	}
	endsNL := func(b []byte) bool { return len(b) == 0 || b[len(b)-1] == '\n' }
	if endsNL(orig) != endsNL(fixed) {
		t.Errorf("%s: final newline added or removed", path)
	}
	if indentedWith(orig, '\t') && !indentedWith(orig, ' ') && indentedWith(fixed, ' ') {
		t.Errorf("%s: a tab-indented file now has lines indented with spaces", path)
	}
	for _, line := range strings.Split(string(orig), "\n") {
		if i := strings.Index(line, "#"); i >= 0 && !strings.Contains(string(fixed), line[i:]) {
			t.Errorf("%s: comment %q lost", path, line[i:])
		}
	}
	if strings.HasSuffix(path, ".py") {
		single, double := strings.Count(string(orig), "'"), strings.Count(string(orig), `"`)
		added := diffAdded(orig, fixed)
		if single > 0 && double == 0 && strings.Contains(added, `"`) {
			t.Errorf("%s: single-quoted file got double quotes:\n%s", path, added)
		}
		if double > 0 && single == 0 && strings.Contains(added, "'") {
			t.Errorf("%s: double-quoted file got single quotes:\n%s", path, added)
		}
	}
}

func indentedWith(src []byte, c byte) bool {
	for _, line := range bytes.Split(src, []byte("\n")) {
		if len(line) > 0 && line[0] == c && len(bytes.TrimSpace(line)) > 0 {
			return true
		}
	}
	return false
}

// diffAdded is the text of the lines fixed has and orig lacks.
func diffAdded(orig, fixed []byte) string {
	have := map[string]int{}
	for _, l := range strings.Split(string(orig), "\n") {
		have[l]++
	}
	var out []string
	for _, l := range strings.Split(string(fixed), "\n") {
		if have[l] > 0 {
			have[l]--
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// checkReal runs each changed file through the tool that reads it in
// production.
func checkReal(t *testing.T, res *driver.Result) {
	t.Helper()
	py := map[string][]byte{}
	for _, f := range res.Stack.Files {
		if f.Doc.Kind == parsers.KindPython {
			py[f.Doc.Path] = f.Doc.Src
		}
	}
	nginx := false
	for _, doc := range res.Changed {
		var check func(testing.TB, []byte)
		switch doc.Kind {
		case parsers.KindNginx:
			nginx = true
			continue
		case parsers.KindPython:
			check = func(tb testing.TB, src []byte) {
				realtools.PyCompile(tb, doc.Path, src)
				realtools.DjangoSettings(tb, doc.Path, src, py)
			}
		case parsers.KindDockerfile:
			check = func(tb testing.TB, src []byte) { realtools.Dockerfile(tb, doc.Path, src) }
		case parsers.KindCompose:
			check = func(tb testing.TB, src []byte) { realtools.Compose(tb, doc.Path, src) }
		default:
			continue
		}
		// A file its tool already rejects (nginx refuses a BOM) cannot be
		// broken by a fix; it is named, not failed.
		before := &recorder{TB: t}
		check(before, res.Original[doc.Path])
		if len(before.errs) > 0 {
			t.Logf("%s: the real tool rejects it before any fix, so it is not checked after: %s", doc.Path, before.errs[0])
			continue
		}
		check(t, doc.Src)
	}
	if nginx {
		// Every file one nginx loads, together: a duplicate upstream or
		// log_format only shows there.
		rulestest.NginxTrees(t, res)
	}
}

// recorder collects a check's errors instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// goldenStacks is every test stack of the repository: each rule case
// (rules/<area>/testdata/<rule>/<case>), the example stack and the trust
// stacks.
func goldenStacks(t *testing.T) []string {
	var out []string
	for _, pat := range []string{"rules/*/testdata/*/*", "testdata/wingman", "testdata/trust/*"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		for _, d := range m {
			if info, err := os.Stat(d); err == nil && info.IsDir() {
				out = append(out, d)
			}
		}
	}
	sort.Strings(out)
	if len(out) < 10 {
		t.Fatalf("only %d test stacks found", len(out))
	}
	return out
}

// TestEveryFixOnEveryStack applies every rule's fixes, unsafe ones
// included, to every test stack of the repository, and holds each changed
// file to its real tool; a second fix must change nothing, and no fix may be
// dropped for breaking its file.
func TestEveryFixOnEveryStack(t *testing.T) {
	n, changed := 0, 0
	for _, dir := range goldenStacks(t) {
		rel, _ := filepath.Rel(root, dir)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			s := loadQuiet(t, dir)
			if s == nil {
				return
			}
			n++
			opt := driver.Options{Rules: rules.All(), Unsafe: true}
			res := driver.Fix(s, opt)
			for _, d := range res.Dropped {
				if !d.Budget {
					t.Errorf("%s", d)
				}
			}
			changed += len(res.Changed)
			checkReal(t, res)
			again := driver.Fix(res.Stack, opt)
			for _, doc := range again.Changed {
				t.Errorf("%s: a second fix changed it again:\n%s", doc.Path, edit.Diff(doc.Path, again.Original[doc.Path], doc.Src))
			}
		})
	}
	t.Logf("%d stacks, %d files changed by fixes, each checked by its real tool", n, changed)
}

// loadQuiet loads a stack like rulestest.Load, but skips a case whose files
// do not parse: such cases test the parser's error, not a fix.
func loadQuiet(t *testing.T, dir string) *stack.Stack {
	t.Helper()
	var files []*stack.File
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		src, _ := os.ReadFile(p)
		kind := parsers.Detect(rel, src)
		if kind == parsers.KindUnknown {
			return nil
		}
		f, err := stack.Parse(parsers.NewDocument(rel, kind, src))
		if err != nil {
			t.Logf("skipped, does not parse: %v", err)
			files = nil
			return filepath.SkipAll
		}
		files = append(files, f)
		return nil
	})
	if len(files) == 0 {
		return nil
	}
	return stack.New(files)
}
