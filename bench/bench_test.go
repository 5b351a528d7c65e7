package bench

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/internal/gen"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/report"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
	"github.com/headroom-dev/headroom/stack"
)

var kinds = []parsers.Kind{parsers.KindDockerfile, parsers.KindNginx, parsers.KindCompose, parsers.KindPython, parsers.KindPythonApp, parsers.KindRequirements}

// corpus is the deployment files of a generated 1,000-file monorepo, read
// into memory once: parse and rule benchmarks measure no I/O.
func corpus(b *testing.B) []*parsers.Document {
	b.Helper()
	cands, errs := stack.Discover([]string{gen.Tree(b, 1000)})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	var docs []*parsers.Document
	for _, c := range cands {
		src, err := os.ReadFile(c.Path)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, parsers.NewDocument(filepath.ToSlash(c.Path), c.Kind, src))
	}
	return docs
}

func perSecond(b *testing.B, files int) {
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkDiscover walks a generated 10,000-file monorepo with its
// app code, node_modules, virtualenvs and gitignored folders: what lint
// pays before reading a byte of a deployment file.
func BenchmarkDiscover(b *testing.B) {
	root := gen.Tree(b, 10000)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		cands, errs := stack.Discover([]string{root})
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		n = len(cands)
	}
	perSecond(b, n)
}

// BenchmarkParse parses every file of one kind: MB/s and files/s of each
// parser, allocations included.
func BenchmarkParse(b *testing.B) {
	docs := corpus(b)
	for _, k := range kinds {
		var of []*parsers.Document
		var size int64
		for _, d := range docs {
			if d.Kind == k {
				of = append(of, d)
				size += int64(len(d.Src))
			}
		}
		b.Run(k.String(), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range of {
					if _, err := stack.Parse(parsers.NewDocument(d.Path, d.Kind, d.Src)); err != nil {
						b.Fatal(err)
					}
				}
			}
			perSecond(b, len(of))
		})
	}
}

// BenchmarkRules runs every rule on the files of one kind, with each
// deployment's Stack behind them as in a real run (stack.Deployments):
// each rule that checks that kind, narrowed to it.
func BenchmarkRules(b *testing.B) {
	docs := corpus(b)
	var files []*stack.File
	for _, d := range docs {
		f, err := stack.Parse(d)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	var sts []*stack.Stack
	for _, group := range stack.Deployments(files) {
		sts = append(sts, stack.New(group))
	}
	for _, k := range kinds {
		var rs []*rules.Rule
		for _, r := range rules.All() {
			if slices.Contains(r.Kinds, k) {
				only := *r
				only.Kinds = []parsers.Kind{k}
				rs = append(rs, &only)
			}
		}
		var size int64
		n := 0
		for _, f := range files {
			if f.Doc.Kind == k {
				size += int64(len(f.Doc.Src))
				n++
			}
		}
		b.Run(k.String(), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, st := range sts {
					driver.Run(st, rs)
				}
			}
			perSecond(b, n)
		})
	}
}

// BenchmarkFix runs the whole fix loop (lint, apply, re-parse, re-lint to
// a fixed point) in memory, with unsafe fixes, on the report's own stack
// and on a generated monorepo.
func BenchmarkFix(b *testing.B) {
	for _, tc := range []struct{ name, dir string }{
		{"wingman", "../testdata/wingman"},
		{"files-100", gen.Tree(b, 100)},
	} {
		st, errs := stack.Load([]string{tc.dir}, 0)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		var size int64
		for _, f := range st.Files {
			size += int64(len(f.Doc.Src))
		}
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var res *driver.Result
			for b.Loop() {
				res = driver.Fix(st, driver.Options{Rules: rules.All(), Unsafe: true})
			}
			if len(res.Changed) == 0 {
				b.Fatal("no fix applied: the benchmark measures nothing")
			}
			b.ReportMetric(float64(len(res.Applied)), "fixes")
			perSecond(b, len(st.Files))
		})
	}
}

// BenchmarkReport builds and renders `headroom report` on the report's own
// stack, files already read: the model, the bottlenecks (each safe fix
// applied alone), the three phases (driver.Fix in memory) and the
// Markdown. Target: under 50 ms.
func BenchmarkReport(b *testing.B) {
	st, errs := stack.Load([]string{"../testdata/wingman"}, 0)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ReportAllocs()
	var r *report.Report
	for b.Loop() {
		r = report.Build([]*stack.Stack{st}, report.Options{Assumptions: report.DefaultAssumptions(), Rules: rules.All()})
		if err := report.Markdown(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	if len(r.Phases) != 3 || len(r.Phases[0].Deployments[0].Applied) == 0 {
		b.Fatal("no phase applied a fix: the benchmark measures nothing")
	}
}
