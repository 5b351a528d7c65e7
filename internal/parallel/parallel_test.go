package parallel

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 100, 1000} {
			calls := make([]atomic.Int32, n)
			Each(n, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("GOMAXPROCS=%d n=%d: index %d called %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// A call that panics on a worker goroutine reaches the caller as a *Panic
// holding the value and the worker's stack, so the caller can recover it.
func TestEachPanicReachesCaller(t *testing.T) {
	for _, procs := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(procs)
		got := func() (r any) {
			defer func() { r = recover() }()
			Each(100, func(i int) {
				if i == 37 {
					panic("boom")
				}
			})
			return nil
		}()
		runtime.GOMAXPROCS(old)
		if procs == 1 {
			if got != "boom" {
				t.Errorf("GOMAXPROCS=1: recovered %v, want boom", got)
			}
			continue
		}
		p, ok := got.(*Panic)
		if !ok || p.Value != "boom" || !strings.Contains(string(p.Stack), "TestEachPanicReachesCaller") {
			t.Errorf("GOMAXPROCS=%d: recovered %#v, want *Panic{boom} with the worker's stack", procs, got)
		}
	}
}
