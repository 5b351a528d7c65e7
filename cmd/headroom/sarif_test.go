package main

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"github.com/headroom-dev/headroom/internal/schematest"
)

// TestSARIFOfEveryStack validates the SARIF headroom writes for every
// example stack in the repository against the SARIF 2.1.0 schema.
func TestSARIFOfEveryStack(t *testing.T) {
	schema := schematest.Compile(t, "../../output/testdata/sarif-2.1.0.json")
	stacks, _ := filepath.Glob("../../testdata/realworld/*")
	stacks = append(stacks, "../../testdata/wingman")
	for _, dir := range stacks {
		var out bytes.Buffer
		code := run([]string{"lint", "--format", "sarif", dir}, nil, &out, io.Discard)
		if code == exitError {
			t.Errorf("%s: lint exited %d", dir, code)
			continue
		}
		if err := schema.Validate(t, out.Bytes()); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", dir, err)
		}
	}
	if len(stacks) < 2 {
		t.Fatal("no stacks found")
	}
}
