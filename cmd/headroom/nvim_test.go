package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/internal/realtools"
)

// TestNeovimClient runs Debian's Neovim headless with its built-in LSP
// client against `headroom server` on a copy of testdata/wingman: it
// opens the Dockerfile, waits for diagnostics, applies the preferred quick
// fix through the client and checks that the buffer changed and the file
// on disk did not.
func TestNeovimClient(t *testing.T) {
	nvim := realtools.Find(t, "nvim")
	bin := filepath.Join(t.TempDir(), "headroom")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "wingman")
	src, _ := filepath.Abs("../../testdata/wingman")
	if out, err := exec.Command("cp", "-R", src, dir).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	dockerfile := filepath.Join(dir, "Dockerfile")
	before, _ := os.ReadFile(dockerfile)
	script, _ := filepath.Abs("../../lsp/testdata/nvim.lua")
	outFile := filepath.Join(t.TempDir(), "out")
	// A client that waits for ever (an error in the script, a menu left
	// open) is stopped after a minute and fails the test.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-u", "NONE", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HR_BIN="+bin, "HR_ROOT="+dir, "HR_FILE="+dockerfile, "HR_LINE=18" /* the CMD line, 1-based */, "HR_OUT="+outFile, "XDG_STATE_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(outFile)
	text := string(got)
	if !strings.HasSuffix(text, "OK\n") {
		t.Fatalf("nvim:\n%s", text)
	}
	if !strings.Contains(text, "HR101") || !strings.Contains(text, "HR102") {
		t.Errorf("diagnostics:\n%s", text)
	}
	if !strings.Contains(text, "chose HR102 add --max-requests") {
		t.Errorf("the preferred quick fix was not HR102's:\n%s", text)
	}
	if !strings.Contains(text, `"--max-requests", "1000", "--max-requests-jitter", "50"]`) || !strings.Contains(text, "modified true") {
		t.Errorf("the quick fix did not edit the buffer:\n%s", text)
	}
	if after, _ := os.ReadFile(dockerfile); string(after) != string(before) {
		t.Error("the Dockerfile on disk changed")
	}
}
