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
	size := func(p string) int {
		if f := s.File(p); f != nil {
			return len(f.Doc.Src)
		}
		return -1
	}
	if err := internalConflict(fix, size); err != nil {
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
