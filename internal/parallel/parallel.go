// Package parallel runs independent per-file work on all cores.
package parallel

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Panic is what Each panics with when a call panicked on one of its
// goroutines: the call's panic value and the stack of that goroutine.
// Each re-raises it on the caller's goroutine, so a caller's recover sees
// it (a panic left on a worker goroutine would end the process).
type Panic struct {
	Value any
	Stack []byte
}

func (p *Panic) String() string { return fmt.Sprintf("%v\n\n%s", p.Value, p.Stack) }

// Each calls fn(0) ... fn(n-1) on up to GOMAXPROCS goroutines and returns
// when all calls have. Indices are handed out in order, so callers that
// write result i into slot i of a slice get deterministic output whatever
// order the calls finish in. If a call panics, the remaining indices are
// not started and Each panics on the caller's goroutine with a *Panic.
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
	var first atomic.Pointer[Panic]
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					first.CompareAndSwap(nil, &Panic{Value: r, Stack: debug.Stack()})
					next.Store(int64(n)) // the other workers stop at their next index
				}
			}()
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
	if p := first.Load(); p != nil {
		panic(p)
	}
}
