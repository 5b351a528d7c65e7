package realtools

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Chromium is Debian's headless Chromium loading a local page.
type Chromium struct{ path string }

// FindChromium returns Chromium, or skips t where it is not installed
// (fails it with HEADROOM_REQUIRE_TOOLS=1).
func FindChromium(t testing.TB) Chromium {
	t.Helper()
	return Chromium{find(t, "chromium", "chromium-browser")}
}

// run loads page with the flags and returns stdout and stderr. Each run
// has its own profile folder, so runs never share state.
func (c Chromium) run(t testing.TB, page string, flags ...string) (string, string) {
	t.Helper()
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--force-device-scale-factor=1", "--hide-scrollbars"}, flags...)
	cmd := exec.CommandContext(ctx, c.path, append(args, "file://"+abs)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// Load loads page and returns the DOM once it has loaded (--dump-dom) and
// the messages the page wrote to the browser console. With
// --enable-logging=stderr --v=0 Chromium logs every console message (the
// page's own console calls, and the errors the browser reports on the
// page's behalf: a load its Content Security Policy blocked, a resource
// that failed) to stderr as a line with "CONSOLE" in its log prefix;
// those lines are the console.
func (c Chromium) Load(t testing.TB, page string) (dom string, console []string) {
	t.Helper()
	dom, stderr := c.run(t, page, "--enable-logging=stderr", "--v=0", "--dump-dom")
	for _, line := range strings.Split(stderr, "\n") {
		if i := strings.Index(line, "]"); i > 0 && strings.Contains(line[:i], ":CONSOLE") {
			console = append(console, line)
		}
	}
	return dom, console
}

// Screenshot renders page in a window of w x h CSS pixels and returns the
// image.
func (c Chromium) Screenshot(t testing.TB, page string, w, h int) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "shot.png")
	c.run(t, page, "--screenshot="+shot, "--window-size="+strconv.Itoa(w)+","+strconv.Itoa(h))
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	return img
}
