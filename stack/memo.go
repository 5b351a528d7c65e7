package stack

import "sync"

// memo holds facts rules derive from the whole stack, computed once on
// first use. Without it a rule that derives such a fact on every file it
// checks does quadratic work on a monorepo.
type memo struct{ m sync.Map }

type memoEntry struct {
	once sync.Once
	v    any
}

// Memo returns fn(), computing it once per Stack for key (any comparable
// value; a package-level pointer keeps keys from colliding): every later
// call with the same key, from any goroutine, gets the first result. The
// result is shared, so callers must not modify it. A Stack not built by
// New computes fn on every call.
func Memo[T any](s *Stack, key any, fn func() T) T {
	if s.memo == nil {
		return fn()
	}
	e, _ := s.memo.m.LoadOrStore(key, &memoEntry{})
	entry := e.(*memoEntry)
	entry.once.Do(func() { entry.v = fn() })
	return entry.v.(T)
}
