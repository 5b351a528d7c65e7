package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/headroom-dev/headroom/internal/gen"
	"github.com/headroom-dev/headroom/stack"
)

// BenchmarkLint is a whole `headroom lint` in process (discover, read,
// parse, build the Stack, run every rule, print text), on the report's own
// stack, on trees of 25 and 250 copies of it (a monorepo as heavy on
// Python as a real one: models, views, serializers, a Celery app) and on
// generated monorepos of 100, 1,000 and 10,000 deployment files. Time per
// file should stay flat as the trees grow: see files/s.
func BenchmarkLint(b *testing.B) {
	cases := []struct{ name, dir string }{{"wingman", "../../testdata/wingman"}}
	for _, n := range []int{25, 250} {
		cases = append(cases, struct{ name, dir string }{fmt.Sprintf("wingman-x%d", n), gen.CopiesTree(b, "../../testdata/wingman", n)})
	}
	for _, n := range []int{100, 1000, 10000} {
		cases = append(cases, struct{ name, dir string }{fmt.Sprintf("files-%d", n), gen.Tree(b, n)})
	}
	for _, tc := range cases {
		cands, _ := stack.Discover([]string{tc.dir})
		var size int64
		for _, c := range cands {
			if info, err := os.Stat(c.Path); err == nil {
				size += info.Size()
			}
		}
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if code := run([]string{"lint", filepath.Clean(tc.dir)}, nil, io.Discard, io.Discard); code != exitFindings {
					b.Fatalf("lint exited %d, want %d", code, exitFindings)
				}
			}
			b.ReportMetric(float64(len(cands))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}
