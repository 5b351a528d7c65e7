package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSARIFOfEveryStack validates the SARIF headroom writes for every
// example stack in the repository against the SARIF 2.1.0 schema.
func TestSARIFOfEveryStack(t *testing.T) {
	f, err := os.Open("../../output/testdata/sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AddResource("sarif.json", doc)
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	stacks, _ := filepath.Glob("../../testdata/realworld/*")
	stacks = append(stacks, "../../testdata/wingman")
	for _, dir := range stacks {
		var out bytes.Buffer
		code := run([]string{"lint", "--format", "sarif", dir}, nil, &out, io.Discard)
		if code == exitError {
			t.Errorf("%s: lint exited %d", dir, code)
			continue
		}
		inst, err := jsonschema.UnmarshalJSON(&out)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", dir, err)
		}
	}
	if len(stacks) < 2 {
		t.Fatal("no stacks found")
	}
}
