// Package rulestest runs a rule over test stacks and checks its findings and
// fixes, in the manner of go/analysis/analysistest: expectations sit beside
// the input as `# want "regexp"` comments, and each file's expected content
// after `fix` sits beside it as <file>.golden.
//
// Each subdirectory of a rule's testdata folder is one case: a small stack.
// A `# want` comment trailing a line expects a finding that starts on that
// line; a line holding only want comments expects one on the next line that
// is not a want comment (Dockerfile comments must be whole lines). Every
// finding must be expected and every expectation met.
//
// After the findings, the case is fixed with the rule's safe fixes: files
// with a .golden must end up equal to it (go test -update rewrites them),
// files without one must not change, every changed file must pass its real
// tool (nginx -t; py_compile and Django loading it as settings; BuildKit's
// Dockerfile parser; compose-go's loader), and fixing the fixed stack again changes nothing
// and leaves no finding with a safe fix.
package rulestest

import (
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/parsers"
	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

var update = flag.Bool("update", false, "rewrite .golden files with the fixed output")

// Run checks rule r on every case under dir.
func Run(t *testing.T, r *rules.Rule, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) { RunCase(t, r, filepath.Join(dir, e.Name())) })
	}
	if n == 0 {
		t.Fatalf("%s holds no cases", dir)
	}
}

// Load reads one case folder as a stack, with paths relative to it.
func Load(t testing.TB, dir string) *stack.Stack {
	t.Helper()
	var files []*stack.File
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		kind := parsers.Detect(rel, src)
		if kind == parsers.KindUnknown {
			return nil
		}
		f, err := stack.Parse(parsers.NewDocument(rel, kind, src))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Files the deployment mounts or copies into nginx under other names.
	for _, c := range stack.ReferencedNginx(files, []string{"."}, dir) {
		if strings.HasSuffix(c.Path, ".golden") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.Path)))
		if err != nil {
			t.Fatal(err)
		}
		f, err := stack.Parse(parsers.NewDocument(c.Path, c.Kind, src))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("%s: no deployment files", dir)
	}
	s := stack.New(files)
	s.Tree = treeOf(t, dir)
	return s
}

type want struct {
	path    string
	line    int
	re      *regexp.Regexp
	related []*regexp.Regexp
	met     bool
}

var (
	wantComment    = regexp.MustCompile(`#\s*want((?:\s+"(?:[^"\\]|\\.)*")+)`)
	relatedComment = regexp.MustCompile(`#\s*related((?:\s+"(?:[^"\\]|\\.)*")+)`)
	wantArg        = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// wants collects the expectations written in doc.
func wants(t testing.TB, doc *parsers.Document) []*want {
	var out []*want
	var pending, pendingRel []*regexp.Regexp
	for line := 1; line <= doc.LineCount(); line++ {
		text := doc.Text(doc.LineSpan(line))
		m := wantComment.FindStringSubmatchIndex(text)
		rm := relatedComment.FindStringSubmatchIndex(text)
		res := quoted(t, doc, line, text, m)
		rel := quoted(t, doc, line, text, rm)
		first := -1
		for _, x := range [][]int{m, rm} {
			if x != nil && (first < 0 || x[0] < first) {
				first = x[0]
			}
		}
		if first >= 0 && strings.TrimSpace(text[:first]) == "" {
			pending = append(pending, res...) // applies to the next line
			pendingRel = append(pendingRel, rel...)
			continue
		}
		for _, re := range append(pending, res...) {
			out = append(out, &want{path: doc.Path, line: line, re: re, related: append(pendingRel, rel...)})
		}
		pending, pendingRel = nil, nil
	}
	return out
}

// quoted compiles the quoted regexps of a want or related comment.
func quoted(t testing.TB, doc *parsers.Document, line int, text string, m []int) []*regexp.Regexp {
	if m == nil {
		return nil
	}
	var res []*regexp.Regexp
	for _, q := range wantArg.FindAllString(text[m[2]:m[3]], -1) {
		s, err := strconv.Unquote(q)
		if err != nil {
			t.Fatalf("%s:%d: bad expectation %s: %v", doc.Path, line, q, err)
		}
		re, err := regexp.Compile(s)
		if err != nil {
			t.Fatalf("%s:%d: bad regexp: %v", doc.Path, line, err)
		}
		res = append(res, re)
	}
	return res
}

// checkRelated reports the related expectations of w that d does not meet.
func checkRelated(t *testing.T, w *want, d rules.Diagnostic) {
	t.Helper()
	for _, re := range w.related {
		found := false
		for _, r := range d.Related {
			if re.MatchString(fmt.Sprintf("%s:%d: %s", r.Doc.Path, r.Doc.Position(r.Span.Start).Line, r.Message)) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s:%d: %s finding has no related location matching %q", w.path, w.line, d.Rule.ID, re)
		}
	}
}

// RunCase checks rule r on the stack in dir.
func RunCase(t *testing.T, r *rules.Rule, dir string) {
	t.Helper()
	s := Load(t, dir)
	var ws []*want
	for _, f := range s.Files {
		ws = append(ws, wants(t, f.Doc)...)
	}
	checkLoaded(t, dir, s)
	for _, d := range driver.Run(s, []*rules.Rule{r}) {
		pos := d.Pos()
		matched := false
		for _, w := range ws {
			if !w.met && w.path == d.Doc.Path && w.line == pos.Line && w.re.MatchString(d.Message) {
				w.met, matched = true, true
				checkRelated(t, w, d)
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected finding: %s %s", d.Doc.Path, pos.Line, pos.Column, d.Rule.ID, d.Message)
		}
	}
	for _, w := range ws {
		if !w.met {
			t.Errorf("%s:%d: no finding matching %q", w.path, w.line, w.re)
		}
	}
	checkFixes(t, []*rules.Rule{r}, dir, s)
}

func checkFixes(t *testing.T, rs []*rules.Rule, dir string, s *stack.Stack) {
	t.Helper()
	res := driver.Fix(s, driver.Options{Rules: rs})
	for _, d := range res.Dropped {
		t.Errorf("%s", d)
	}
	var paths []string
	for _, f := range s.Files {
		paths = append(paths, f.Doc.Path)
	}
	sort.Strings(paths)
	for _, p := range paths {
		orig := s.File(p).Doc.Src
		fixed := res.Stack.File(p).Doc
		golden := filepath.Join(dir, filepath.FromSlash(p)+".golden")
		if *update {
			if string(fixed.Src) != string(orig) {
				if err := os.WriteFile(golden, fixed.Src, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				os.Remove(golden)
			}
		}
		want, err := os.ReadFile(golden)
		switch {
		case err == nil && string(want) != string(fixed.Src):
			t.Errorf("%s: fixed output differs from %s.golden:\n%s", p, p, edit.Diff(p, want, fixed.Src))
		case err != nil && string(fixed.Src) != string(orig):
			t.Errorf("%s: fix changed a file that has no .golden (run go test -update and check it):\n%s", p, edit.Diff(p, orig, fixed.Src))
		}
	}
	// Idempotence: the fixed stack offers no further safe fix for r.
	for _, d := range res.Remaining {
		if d.SafeFix() != nil {
			pos := d.Pos()
			t.Errorf("%s:%d:%d: after fix, %s still offers a safe fix: %s", d.Doc.Path, pos.Line, pos.Column, d.Rule.ID, d.Message)
		}
	}
	again := driver.Fix(res.Stack, driver.Options{Rules: rs})
	for _, doc := range again.Changed {
		t.Errorf("%s: a second fix changed the file again:\n%s", doc.Path, edit.Diff(doc.Path, again.Original[doc.Path], doc.Src))
	}
	// Last, as they may skip: the real tools accept every changed file.
	RealTools(t, res)
}

// RealTools checks every file a fix changed with the tool that will read
// it: nginx -t, Python's compiler (and Django for settings modules),
// BuildKit's parser, compose-go's loader.
func RealTools(t *testing.T, res *driver.Result) {
	t.Helper()
	nginxChanged := false
	for _, doc := range res.Changed {
		switch doc.Kind {
		case parsers.KindNginx:
			nginxChanged = true
		case parsers.KindPython:
			realtools.PyCompile(t, doc.Path, doc.Src)
			if m := res.Stack.File(doc.Path).Python; m != nil && (m.Names["DATABASES"] != nil || m.Names["CACHES"] != nil) {
				if mod, ok := unseenStar(m, res.Stack); ok {
					// A module star-importing one the case leaves out (as
					// a repository may) cannot be imported on its own.
					t.Logf("%s: not loaded by Django: it star-imports %s, which the case does not hold", doc.Path, mod)
					continue
				}
				realtools.DjangoSettings(t, doc.Path, doc.Src, pythonFiles(res.Stack))
			}
		case parsers.KindPythonApp:
			realtools.PyCompile(t, doc.Path, doc.Src)
		case parsers.KindDockerfile:
			realtools.Dockerfile(t, doc.Path, doc.Src)
		case parsers.KindCompose:
			realtools.Compose(t, doc.Path, doc.Src)
		}
	}
	if nginxChanged {
		NginxTrees(t, res)
	}
}

// NginxTrees runs nginx -t on every nginx of the fixed stack that a fix
// changed: all the files it loads together, at the paths the stack says
// nginx finds them (compose mounts, the folder of the stack's nginx.conf,
// the host config's conf.d or sites-enabled), under the host's nginx.conf
// where the stack has only snippets, and compared with the same nginx
// before the fix.
func NginxTrees(t testing.TB, res *driver.Result) {
	t.Helper()
	hosts := nginxHosts(res)
	for _, in := range res.Stack.NginxInstances() {
		changed := false
		after := realtools.NginxTree{Files: map[string][]byte{}, Host: hostName(in.Host), Hosts: hosts}
		before := realtools.NginxTree{Files: map[string][]byte{}, Host: after.Host, Hosts: hosts}
		var names []string
		for _, f := range in.Files {
			p := in.Paths[f]
			names = append(names, f.Doc.Path)
			after.Files[p] = f.Doc.Src
			before.Files[p] = f.Doc.Src
			if orig, ok := res.Original[f.Doc.Path]; ok {
				before.Files[p] = orig
				changed = true
			}
		}
		if changed {
			realtools.NginxTreeTest(t, strings.Join(names, ", "), &before, after)
		}
	}
}

func hostName(h stack.NginxHost) string {
	switch h {
	case stack.HostOfficialImage:
		return "official"
	case stack.HostDebian:
		return "debian"
	}
	return ""
}

// nginxHosts are the names the compose network resolves for nginx: the
// services and their aliases, the hosts of upstream servers, and the hosts
// proxy_pass names directly, in the stack before and after the fix.
func nginxHosts(res *driver.Result) []string {
	seen := map[string]bool{}
	var out []string
	add := func(h string) {
		h = strings.ToLower(h)
		if h == "" || h == "localhost" || seen[h] || strings.HasPrefix(h, "unix:") || strings.HasPrefix(h, "[") ||
			strings.Trim(h, "0123456789.") == "" || strings.Contains(h, "$") {
			return
		}
		seen[h] = true
		out = append(out, h)
	}
	for _, f := range res.Stack.Files {
		if f.Compose != nil {
			for _, svc := range f.Compose.Services {
				add(svc.Name)
				for _, a := range svc.Aliases {
					add(a)
				}
			}
		}
		if f.Nginx == nil {
			continue
		}
		for _, up := range f.Nginx.Upstreams() {
			for _, a := range ngx.UpstreamServers(up) {
				h, _ := ngx.SplitHostPort(a)
				add(h)
			}
		}
		// A pass that names no upstream of the original file names a host.
		src := f.Doc.Src
		if orig, ok := res.Original[f.Doc.Path]; ok {
			src = orig
		}
		if of, err := ngx.Parse(parsers.NewDocument(f.Doc.Path, parsers.KindNginx, src)); err == nil {
			for _, ps := range of.Passes() {
				if ps.Upstream == nil && !ps.Variable && !upstreamAnywhere(res.Stack, ps.Host) {
					add(ps.Host)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func upstreamAnywhere(s *stack.Stack, name string) bool {
	for _, f := range s.Files {
		if f.Nginx != nil && f.Nginx.Upstream(name) != nil {
			return true
		}
	}
	return false
}

// pythonFiles is every Python file of s, for settings that import their
// siblings.
func pythonFiles(s *stack.Stack) map[string][]byte {
	out := map[string][]byte{}
	for _, f := range s.Files {
		if f.Doc.Kind == parsers.KindPython {
			out[f.Doc.Path] = f.Doc.Src
		}
	}
	return out
}

// unseenStar returns a module m star-imports that is not a Python file of
// the stack (compared by its last dotted component).
func unseenStar(m *python.Module, s *stack.Stack) (string, bool) {
	have := map[string]bool{}
	for p := range pythonFiles(s) {
		have[strings.TrimSuffix(path.Base(p), ".py")] = true
	}
	for _, mod := range m.StarImports {
		name := mod[strings.LastIndex(mod, ".")+1:]
		if !have[name] {
			return mod, true
		}
	}
	return "", false
}
