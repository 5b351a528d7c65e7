package trust

import (
	"strings"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/seeds"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/stack"
)

// fuzzFix lints and fixes a stack whose file of the given kind is the fuzz
// input, the rest being the example stack (so cross-file rules run too),
// with every registered rule and unsafe fixes on. It must not panic nor
// hang; every file it changes must still parse; a second fix must change
// nothing; no rule may offer edits out of bounds or overlapping each other.
func fuzzFix(f *testing.F, kind parsers.Kind) {
	base := rulestest.Load(f, root+"/testdata/wingman")
	var target string
	for _, file := range base.Files {
		if file.Doc.Kind == kind {
			target = file.Doc.Path
		}
	}
	if target == "" {
		target = map[parsers.Kind]string{parsers.KindRequirements: "requirements.txt"}[kind]
	}
	for _, s := range seeds.Of(f, kind) {
		f.Add(s.Src)
	}
	all := rules.All()
	f.Fuzz(func(t *testing.T, src []byte) {
		in, err := stack.Parse(parsers.NewDocument(target, kind, src))
		if err != nil {
			return
		}
		files := []*stack.File{in}
		for _, file := range base.Files {
			if file.Doc.Path != target {
				files = append(files, file)
			}
		}
		opt := driver.Options{Rules: all, Unsafe: true}
		start := time.Now()
		res := driver.Fix(stack.New(files), opt)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("fix took %v on a %d-byte file", d, len(src))
		}
		for _, d := range res.Dropped {
			if strings.Contains(d.Reason, "out of bounds") || strings.Contains(d.Reason, "overlap") || strings.Contains(d.Reason, "not in the stack") {
				t.Errorf("a rule offered invalid edits: %v", d)
			}
		}
		for _, doc := range res.Changed {
			if _, err := stack.Parse(parsers.NewDocument(doc.Path, doc.Kind, doc.Src)); err != nil {
				t.Errorf("fixed %s does not parse: %v\n%s", doc.Path, err, doc.Src)
			}
		}
		again := driver.Fix(res.Stack, opt)
		for _, doc := range again.Changed {
			t.Errorf("a second fix changed %s again:\n%s", doc.Path, edit.Diff(doc.Path, again.Original[doc.Path], doc.Src))
		}
	})
}

func FuzzFixDockerfile(f *testing.F)   { fuzzFix(f, parsers.KindDockerfile) }
func FuzzFixNginx(f *testing.F)        { fuzzFix(f, parsers.KindNginx) }
func FuzzFixCompose(f *testing.F)      { fuzzFix(f, parsers.KindCompose) }
func FuzzFixPython(f *testing.F)       { fuzzFix(f, parsers.KindPython) }
func FuzzFixRequirements(f *testing.F) { fuzzFix(f, parsers.KindRequirements) }
