package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brokenPipe refuses every write, as a closed pipe or a full disk does.
type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestFailedStdoutExits2: a run whose report or diff cannot be written to
// stdout exits 2 and says so, instead of passing for a clean run.
func TestFailedStdoutExits2(t *testing.T) {
	dir := t.TempDir()
	docker := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(docker, []byte("FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"2\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"lint", "--select", "HR101", dir},
		{"lint", "--select", "HR101", "--format", "github", dir},
		{"fix", "--select", "HR101", "--diff", dir},
		{"rules"},
		{"explain", "HR101"},
		{"model", dir},
		{"report", dir},
	} {
		var stderr strings.Builder
		code := run(args, strings.NewReader(""), brokenPipe{}, &stderr)
		if code != exitError || !strings.Contains(stderr.String(), "stdout: broken pipe") {
			t.Errorf("headroom %s with a broken stdout: exit %d, stderr %q; want 2 and the error", strings.Join(args, " "), code, stderr.String())
		}
	}
	// Nothing was written: --diff never writes, and the file is as it was.
	if got, _ := os.ReadFile(docker); !strings.Contains(string(got), `"2"`) {
		t.Errorf("--diff changed the file: %s", got)
	}
	// A broken stderr fails the run too.
	code := run([]string{"fix", "--select", "HR101", "--diff", dir}, strings.NewReader(""), &strings.Builder{}, brokenPipe{})
	if code != exitError {
		t.Errorf("fix --diff with a broken stderr: exit %d, want 2", code)
	}
}
