package realtools

import (
	"bytes"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Dockerfile fails t unless BuildKit, the parser `docker build` uses,
// accepts src: the syntax, then every instruction and stage as the
// frontend reads them before a build.
func Dockerfile(t testing.TB, name string, src []byte) {
	t.Helper()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Errorf("BuildKit rejects %s after the fix: %v", name, err)
		return
	}
	if _, _, err := instructions.Parse(res.AST, nil); err != nil {
		t.Errorf("BuildKit rejects %s after the fix: %v", name, err)
	}
}
