package stack

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestMemoOncePerKey(t *testing.T) {
	s := New(nil)
	var calls atomic.Int32
	keyA, keyB := new(int), new(int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := Memo(s, keyA, func() int { calls.Add(1); return 42 }); got != 42 {
				t.Errorf("Memo = %d", got)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("computed %d times, want once", n)
	}
	if got := Memo(s, keyB, func() string { return "b" }); got != "b" {
		t.Errorf("second key = %q", got)
	}
	// A hand-built Stack has no memo: it computes every time.
	var plain Stack
	Memo(&plain, keyA, func() int { calls.Add(1); return 0 })
	Memo(&plain, keyA, func() int { calls.Add(1); return 0 })
	if n := calls.Load(); n != 3 {
		t.Errorf("hand-built stack: %d computations, want 3", n)
	}
}
