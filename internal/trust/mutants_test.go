package trust

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// The property test's budget: a few mutants by default, so `go test` stays
// short; `make fuzz` runs it with hundreds.
var (
	mutantCount = flag.Int("mutants", 12, "mutants of the testdata stacks TestMutants fixes")
	mutantSeed  = flag.Int64("mutants-seed", 1, "seed TestMutants draws its mutants with")
)

// mutation rewrites one file of a stack; it returns false when it does not
// apply to that file.
type mutation struct {
	name  string
	kinds []parsers.Kind // nil: every kind
	apply func(r *rand.Rand, src []byte) ([]byte, bool)
}

var (
	digits       = regexp.MustCompile(`[0-9]+`)
	plainCommand = regexp.MustCompile(`(?m)^([ \t]*(?:command|entrypoint):[ \t]+)([^"'\[|>&*\s#][^\r\n#]*?)[ \t]*$`)
	execForm     = regexp.MustCompile(`(?m)^(CMD|ENTRYPOINT)[ \t]+\[((?:[ \t]*"[A-Za-z0-9_.:/=@%+-]+"[ \t]*,?)+)\][ \t]*$`)
	flowCommand  = regexp.MustCompile(`(?m)^([ \t]*(?:command|entrypoint):[ \t]+)\[((?:[ \t]*"[A-Za-z0-9_.:/=@%+-]+"[ \t]*,?)+)\][ \t]*$`)
	shellForm    = regexp.MustCompile(`(?m)^(CMD|ENTRYPOINT)[ \t]+([A-Za-z0-9_.:/=@%+-]+(?:[ \t]+[A-Za-z0-9_.:/=@%+-]+)*)[ \t]*$`)
)

// lineStarts are the offsets where lines start (after \n or a lone \r).
func lineStarts(src []byte) []int {
	out := []int{0}
	for i, c := range src {
		if c == '\n' || c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			out = append(out, i+1)
		}
	}
	return out
}

func newline(src []byte) string {
	return parsers.NewDocument("f", parsers.KindPython, src).Newline()
}

func insertLine(r *rand.Rand, src []byte, line string) []byte {
	starts := lineStarts(src)
	at := starts[r.Intn(len(starts))]
	if at == len(src) && len(src) > 0 && src[len(src)-1] != '\n' && src[len(src)-1] != '\r' {
		at = 0
	}
	return append(append(append([]byte{}, src[:at]...), line+newline(src)...), src[at:]...)
}

func pick(r *rand.Rand, re *regexp.Regexp, src []byte) []int {
	ms := re.FindAllSubmatchIndex(src, -1)
	if len(ms) == 0 {
		return nil
	}
	return ms[r.Intn(len(ms))]
}

func replace(src []byte, start, end int, with string) []byte {
	return append(append(append([]byte{}, src[:start]...), with...), src[end:]...)
}

var (
	yamlPython = []parsers.Kind{parsers.KindCompose, parsers.KindPython}
	mutations  = []mutation{
		{"number changed", nil, func(r *rand.Rand, src []byte) ([]byte, bool) {
			m := pick(r, digits, src)
			if m == nil {
				return nil, false
			}
			return replace(src, m[0], m[1], fmt.Sprint(1+r.Intn(500))), true
		}},
		{"comment inserted", nil, func(r *rand.Rand, src []byte) ([]byte, bool) {
			return insertLine(r, src, "# a comment the mutant adds"), true
		}},
		{"blank line inserted", nil, func(r *rand.Rand, src []byte) ([]byte, bool) {
			return insertLine(r, src, ""), true
		}},
		{"CRLF line breaks", nil, func(r *rand.Rand, src []byte) ([]byte, bool) {
			out := bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
			return out, !bytes.Equal(out, src)
		}},
		{"CR-only line breaks", yamlPython, func(r *rand.Rand, src []byte) ([]byte, bool) {
			out := bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\r")), []byte("\n"), []byte("\r"))
			return out, !bytes.Equal(out, src)
		}},
		{"BOM", nil, func(r *rand.Rand, src []byte) ([]byte, bool) {
			if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
				return nil, false
			}
			return append([]byte("\xef\xbb\xbf"), src...), true
		}},
		{"no final newline", nil, func(r *rand.Rand, src []byte) ([]byte, bool) {
			out := bytes.TrimRight(src, "\r\n")
			return out, len(out) != len(src)
		}},
		{"command quoted", []parsers.Kind{parsers.KindCompose}, func(r *rand.Rand, src []byte) ([]byte, bool) {
			m := pick(r, plainCommand, src)
			if m == nil {
				return nil, false
			}
			v := string(src[m[4]:m[5]])
			q := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
			if r.Intn(2) == 0 {
				q = `'` + strings.ReplaceAll(v, `'`, `''`) + `'`
			}
			return replace(src, m[4], m[5], q), true
		}},
		{"exec form to shell form", []parsers.Kind{parsers.KindDockerfile}, func(r *rand.Rand, src []byte) ([]byte, bool) {
			m := pick(r, execForm, src)
			if m == nil {
				return nil, false
			}
			var words []string
			for _, w := range strings.Split(string(src[m[4]:m[5]]), ",") {
				if w = strings.Trim(strings.TrimSpace(w), `"`); w != "" {
					words = append(words, w)
				}
			}
			return replace(src, m[0], m[1], string(src[m[2]:m[3]])+" "+strings.Join(words, " ")), true
		}},
		{"command list to string", []parsers.Kind{parsers.KindCompose}, func(r *rand.Rand, src []byte) ([]byte, bool) {
			m := pick(r, flowCommand, src)
			if m == nil {
				return nil, false
			}
			var words []string
			for _, w := range strings.Split(string(src[m[4]:m[5]]), ",") {
				if w = strings.Trim(strings.TrimSpace(w), `"`); w != "" {
					words = append(words, w)
				}
			}
			return replace(src, m[0], m[1], string(src[m[2]:m[3]])+strings.Join(words, " ")), true
		}},
		{"program moved to ENTRYPOINT", []parsers.Kind{parsers.KindDockerfile}, func(r *rand.Rand, src []byte) ([]byte, bool) {
			m := pick(r, execForm, src)
			if m == nil || string(src[m[2]:m[3]]) != "CMD" || bytes.Contains(src, []byte("ENTRYPOINT")) {
				return nil, false
			}
			words := strings.SplitN(string(src[m[4]:m[5]]), ",", 2)
			if len(words) < 2 {
				return nil, false
			}
			return replace(src, m[0], m[1], "ENTRYPOINT ["+strings.TrimSpace(words[0])+"]"+newline(src)+"CMD ["+strings.TrimSpace(words[1])+"]"), true
		}},
		{"shell form to exec form", []parsers.Kind{parsers.KindDockerfile}, func(r *rand.Rand, src []byte) ([]byte, bool) {
			m := pick(r, shellForm, src)
			if m == nil {
				return nil, false
			}
			words := strings.Fields(string(src[m[4]:m[5]]))
			return replace(src, m[0], m[1], string(src[m[2]:m[3]])+` ["`+strings.Join(words, `", "`)+`"]`), true
		}},
	}
)

// accepts runs a file through its real tool; ok is false when the tool
// rejects it, and known is false when there is no such tool check.
func accepts(t *testing.T, doc *parsers.Document) (ok, known bool) {
	var check func(testing.TB, []byte)
	switch doc.Kind {
	case parsers.KindNginx:
		check = func(tb testing.TB, src []byte) { realtools.NginxTest(tb, doc.Path, src) }
	case parsers.KindPython:
		check = func(tb testing.TB, src []byte) { realtools.PyCompile(tb, doc.Path, src) }
	case parsers.KindDockerfile:
		check = func(tb testing.TB, src []byte) { realtools.Dockerfile(tb, doc.Path, src) }
	case parsers.KindCompose:
		check = func(tb testing.TB, src []byte) { realtools.Compose(tb, doc.Path, src) }
	default:
		return true, false
	}
	rec := &recorder{TB: t}
	check(rec, doc.Src)
	return len(rec.errs) == 0, true
}

// mutantStacks are the folders whose files the mutants start from.
func mutantStacks(t *testing.T) []string {
	var out []string
	for _, pat := range []string{"testdata/wingman", "testdata/realworld/*", "testdata/trust/*"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		out = append(out, m...)
	}
	sort.Strings(out)
	if len(out) < 10 {
		t.Fatalf("only %d stacks found", len(out))
	}
	return out
}

// readStack reads a stack's deployment files as documents.
func readStack(dir string) []*parsers.Document {
	var docs []*parsers.Document
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		src, _ := os.ReadFile(p)
		if kind := parsers.Detect(rel, src); kind != parsers.KindUnknown {
			docs = append(docs, parsers.NewDocument(rel, kind, src))
		}
		return nil
	})
	return docs
}

// servers are the app servers a stack starts: program and app module per
// file, which a fix must never lose.
func servers(s *stack.Stack) map[string]bool {
	out := map[string]bool{}
	for _, c := range s.Commands {
		out[c.File.Doc.Path+" "+c.Server.Program+" "+c.Server.App] = true
	}
	return out
}

// TestMutants is the property test over mutants of the testdata stacks
// (numbers changed, comments and blank lines inserted, CRLF, CR-only and
// BOM, final newline dropped, compose commands quoted or turned from lists
// into strings, Dockerfile exec and shell forms swapped, the program moved
// from CMD to ENTRYPOINT; one to three of them at once): for every mutant whose files their real tools
// accept, headroom reads every file, fix at phase 3 settles, leaves every
// file its tool accepted accepted, keeps each server's program and app
// module, and a second fix changes nothing.
func TestMutants(t *testing.T) {
	var phase3 []*rules.Rule
	for _, r := range rules.All() {
		if r.Phase <= 3 {
			phase3 = append(phase3, r)
		}
	}
	r := rand.New(rand.NewSource(*mutantSeed))
	stacks := mutantStacks(t)
	tried, rejected := 0, 0
	for attempt := 0; tried < *mutantCount && attempt < 50**mutantCount; attempt++ {
		dir := stacks[r.Intn(len(stacks))]
		docs := readStack(dir)
		if len(docs) == 0 {
			continue
		}
		// One to three mutations, on one file or several.
		var names []string
		accepted := true
		for n := 1 + r.Intn(3); n > 0 && accepted; n-- {
			i := r.Intn(len(docs))
			m := mutations[r.Intn(len(mutations))]
			if m.kinds != nil && !kindIn(docs[i].Kind, m.kinds) {
				continue
			}
			src, ok := m.apply(r, docs[i].Src)
			if !ok {
				continue
			}
			mutant := parsers.NewDocument(docs[i].Path, docs[i].Kind, src)
			if ok, _ := accepts(t, mutant); !ok {
				rejected++
				accepted = false
				break
			}
			docs[i] = mutant
			names = append(names, docs[i].Path+": "+m.name)
		}
		if !accepted || len(names) == 0 {
			continue
		}
		rel, _ := filepath.Rel(root, dir)
		tried++
		t.Run(filepath.ToSlash(rel)+"/"+strings.Join(names, ", "), func(t *testing.T) { checkMutant(t, docs, phase3) })
	}
	t.Logf("%d mutants fixed and checked (%d more rejected by their real tools)", tried, rejected)
}

func kindIn(k parsers.Kind, ks []parsers.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func checkMutant(t *testing.T, docs []*parsers.Document, rs []*rules.Rule) {
	var files []*stack.File
	for _, d := range docs {
		f, err := stack.Parse(d)
		if err != nil {
			if ok, known := accepts(t, d); ok && known {
				t.Errorf("its real tool accepts %s, headroom does not: %v", d.Path, err)
			}
			return // a file of the original stack that tests a parse error
		}
		files = append(files, f)
	}
	s := stack.New(files)
	opt := driver.Options{Rules: rs}
	res := driver.Fix(s, opt)
	for _, d := range res.Unstable {
		t.Errorf("%s", driver.Unsettled(d))
	}
	for _, d := range res.Dropped {
		t.Logf("%s", d)
	}
	for _, doc := range res.Changed {
		before := parsers.NewDocument(doc.Path, doc.Kind, res.Original[doc.Path])
		if ok, _ := accepts(t, before); !ok {
			continue
		}
		if ok, _ := accepts(t, doc); !ok {
			t.Errorf("its real tool accepted %s before the fix, not after:\n%s", doc.Path, edit.Diff(doc.Path, before.Src, doc.Src))
		}
	}
	want, got := servers(s), servers(res.Stack)
	for k := range want {
		if !got[k] {
			t.Errorf("after the fix, no longer started: %s", k)
		}
	}
	again := driver.Fix(res.Stack, opt)
	for _, doc := range again.Changed {
		t.Errorf("%s: a second fix changed it again:\n%s", doc.Path, edit.Diff(doc.Path, again.Original[doc.Path], doc.Src))
	}
}
