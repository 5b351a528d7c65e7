package driver

import (
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Apply applies one fix to s in memory and returns the stack with the
// changed files re-parsed; nothing is written. It fails when the fix's
// edits are invalid or leave a file that does not parse, as Fix would drop
// it.
func Apply(s *stack.Stack, fix rules.Fix) (*stack.Stack, error) {
	src := func(p string) ([]byte, bool) {
		if f := s.File(p); f != nil {
			return f.Doc.Src, true
		}
		return nil, false
	}
	if err := internalConflict(fix, src); err != nil {
		return nil, err
	}
	byPath := map[string][]edit.TextEdit{}
	for _, e := range fix.Edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	files, broken := applyAll(s, byPath)
	if broken != nil {
		return nil, broken.err
	}
	return stack.New(files), nil
}
