package trust

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// bound runs fn and fails the test when it has not returned after limit.
// The limit is generous (every case here takes well under 2 s on the
// development machine): the test fails on a hang or a blow-up, not on a
// slow runner.
func bound(t *testing.T, limit time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("no result after %v", limit)
	}
}

// An nginx include cycle through globs (snippets that include their own
// folder's *.conf) is cut where a chain comes back to a file it holds, with
// a notice; lint and fix finish, and each file's findings are its own.
func TestNginxIncludeCycleThroughGlobs(t *testing.T) {
	root := t.TempDir()
	put(t, root, "nginx/nginx.conf", []byte("events {}\nhttp {\n    include conf.d/*.conf;\n}\n"))
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		put(t, root, "nginx/conf.d/"+name+".conf", []byte("include conf.d/*.conf;\nserver { location / { proxy_pass http://app:8000; } }\n"))
	}
	bound(t, 30*time.Second, func() {
		s, errs := stack.Load([]string{root}, 0)
		if len(errs) > 0 {
			t.Errorf("errors %v", errs)
		}
		cycles := 0
		for _, sk := range s.Skipped {
			if strings.Contains(sk.Reason, "include cycle") {
				cycles++
			}
		}
		if cycles == 0 || cycles > 10 {
			t.Errorf("%d include cycle notices, want one per include that closes a cycle (at most 10): %v", cycles, s.Skipped)
		}
		driver.Run(s, rules.All())
		res := driver.Fix(s, driver.Options{Rules: rules.All()})
		if len(res.Unstable) > 0 {
			t.Errorf("unstable: %v", res.Unstable)
		}
	})
}

// An ignore file that is a symlink to a device or a FIFO is not a list of
// patterns: it is passed over at once (a FIFO would block, /dev/zero never
// ends), and the tree is linted.
func TestIgnoreFileNotRegular(t *testing.T) {
	targets := map[string]func(string) error{
		"device": func(p string) error { return os.Symlink("/dev/zero", p) },
		"fifo": func(p string) error {
			fifo := p + ".fifo"
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				return err
			}
			return os.Symlink(fifo, p)
		},
	}
	for name, mk := range targets {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, ".git"), 0o755)
			if err := mk(filepath.Join(root, ".gitignore")); err != nil {
				t.Skip(err)
			}
			put(t, root, "nginx/nginx.conf", []byte("events {}\n"))
			bound(t, 30*time.Second, func() {
				if errs := loadBounded(t, root, 0); len(errs) != 0 {
					t.Errorf("errors %v", errs)
				}
			})
		})
	}
}

// --config naming a device or a FIFO is refused, not read.
func TestConfigNotRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	paths := []string{"/dev/zero"}
	if syscall.Mkfifo(fifo, 0o644) == nil {
		paths = append(paths, fifo)
	}
	for _, p := range paths {
		bound(t, 30*time.Second, func() {
			if _, err := config.Load(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("config.Load(%s) = %v, want not a regular file", p, err)
			}
		})
	}
}
