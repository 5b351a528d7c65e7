// Package parallel runs independent per-file work on all cores.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls fn(0) ... fn(n-1) on up to GOMAXPROCS goroutines and returns
// when all calls have. Indices are handed out in order, so callers that
// write result i into slot i of a slice get deterministic output whatever
// order the calls finish in.
func Each(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
