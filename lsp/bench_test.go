package lsp

import (
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// edit sends the n-th edit of the Dockerfile (the worker count going 3, 2,
// 3, ...) and waits for the diagnostics of both open documents of the
// deployment; it returns how long that took.
func edit(c *client, duri, suri protocol.DocumentUri, src string, n int) time.Duration {
	workers := []string{`"--workers", "2"`, `"--workers", "3"`}[n%2]
	text := strings.Replace(src, `"--workers", "3"`, workers, 1)
	dn, sn := c.count(duri), c.count(suri)
	begin := time.Now()
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: duri}, Version: protocol.Integer(n + 2)},
		ContentChanges: []any{protocol.TextDocumentContentChangeEventWhole{Text: text}},
	})
	c.wait(duri, dn)
	c.wait(suri, sn)
	return time.Since(begin)
}

// session opens the Dockerfile and settings.py of a copy of
// testdata/wingman (the report's stack) in a server that lints as soon as
// a document changes (Debounce 0: the figures are the server's own work;
// an editor session adds the 150 ms debounce on top).
func session(b *testing.B) (c *client, duri, suri protocol.DocumentUri, src string) {
	dir := copyStack(b)
	c, srv := start(b)
	srv.Debounce = 0
	duri, src = open(b, c, filepath.Join(dir, "Dockerfile"))
	suri, _ = open(b, c, filepath.Join(dir, "wingman", "settings.py"))
	c.wait(duri, 0)
	c.wait(suri, 0)
	return c, duri, suri, src
}

// BenchmarkDidChange is the latency from a didChange of the Dockerfile to
// the diagnostics of every open document of its deployment: the median
// and the 90th percentile (target: median <= 50 ms).
func BenchmarkDidChange(b *testing.B) {
	c, duri, suri, src := session(b)
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		took = append(took, edit(c, duri, suri, src, i))
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "ms-p90")
}

// BenchmarkMemory1000Edits is the server's live heap after 100 and after
// 1,000 edits (each diagnosed before the next): flat when a lint keeps
// nothing of the ones before it.
func BenchmarkMemory1000Edits(b *testing.B) {
	for i := 0; i < b.N; i++ {
		c, duri, suri, src := session(b)
		var at100 uint64
		for n := 1; n <= 1000; n++ {
			edit(c, duri, suri, src, n)
			if n == 100 {
				at100 = heap()
			}
		}
		b.ReportMetric(float64(at100)/(1<<20), "heap-MB@100")
		b.ReportMetric(float64(heap())/(1<<20), "heap-MB@1000")
	}
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
