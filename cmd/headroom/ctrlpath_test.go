package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestControlCharactersInPaths: a folder whose name holds a newline (and
// an escape character) cannot add a line of its own to any output: text
// quotes the path, GitHub annotations percent-encode it, diff headers
// quote it as git does, and JSON and SARIF carry it intact.
func TestControlCharactersInPaths(t *testing.T) {
	base := t.TempDir()
	evil := "app\n::error file=injected::pwned\x1b[2J"
	if err := os.Mkdir(filepath.Join(base, evil), 0o755); err != nil {
		t.Skipf("no such folder names here: %v", err)
	}
	docker := filepath.Join(evil, "Dockerfile")
	src := "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"2\"]\n"
	if err := os.WriteFile(filepath.Join(base, docker), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(base)
	runIt := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		run(args, strings.NewReader(""), &out, &errOut)
		if strings.Contains(errOut.String(), "\n::error") || strings.Contains(errOut.String(), "\x1b") {
			t.Errorf("%v: stderr carries the raw path: %q", args, errOut.String())
		}
		return out.String()
	}
	// Text: one line for the finding, the path quoted.
	text := runIt("lint", "--select", "HR101", "--quiet", ".")
	if want := `"app\n::error file=injected::pwned\x1b[2J/Dockerfile":2:`; !strings.HasPrefix(text, want) || strings.Count(text, "\n") != 1 {
		t.Errorf("text output %q, want one line starting %q", text, want)
	}
	// GitHub: no line but the annotation's own starts a workflow command.
	gh := runIt("lint", "--select", "HR101", "--format", "github", ".")
	for _, line := range strings.Split(strings.TrimSuffix(gh, "\n"), "\n") {
		if !strings.HasPrefix(line, "::warning file=app%0A%3A%3Aerror file=injected%3A%3Apwned\x1b[2J/Dockerfile,") {
			t.Errorf("github output line %q", line)
		}
	}
	// JSON and SARIF: valid documents, the newline escaped.
	js := runIt("lint", "--select", "HR101", "--format", "json", ".")
	if !json.Valid([]byte(js)) || !strings.Contains(js, `app\n::error file=injected::pwned\u001b[2J/Dockerfile`) {
		t.Errorf("json output %q", js)
	}
	sarif := runIt("lint", "--select", "HR101", "--format", "sarif", ".")
	var doc any
	if err := json.Unmarshal([]byte(sarif), &doc); err != nil || strings.Contains(sarif, "\n::") {
		t.Errorf("sarif output: %v", err)
	}
	// The capacity model names the files too.
	for _, line := range strings.Split(runIt("model", "."), "\n") {
		if strings.HasPrefix(line, "::") {
			t.Errorf("model output line %q", line)
		}
	}
	// The diff: headers quoted as git quotes them; git apply takes it.
	diff := runIt("fix", "--select", "HR101", "--diff", ".")
	if want := "--- \"a/app\\n::error file=injected::pwned\\033[2J/Dockerfile\"\n"; !strings.HasPrefix(diff, want) {
		t.Errorf("diff starts %q, want %q", diff, want)
	}
	if git, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command(git, "apply", "--check", "--unsafe-paths", "-")
		cmd.Stdin = strings.NewReader(diff)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("git apply --check: %v: %s", err, out)
		}
	}
}
