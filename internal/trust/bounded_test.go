package trust

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// bound runs fn and fails the test when it has not returned after limit,
// or when the heap it holds grows past 200 MB (sampled every few
// milliseconds: the budget for a hostile input). The time limit is
// generous (every case here takes well under 2 s on the development
// machine): the test fails on a hang or a blow-up, not on a slow runner.
func bound(t *testing.T, limit time.Duration, fn func()) {
	t.Helper()
	const maxHeap = 200 << 20
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := heap()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	deadline := time.After(limit)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var peak uint64
	for {
		select {
		case <-done:
			t.Logf("peak heap about %d MB above the start", peak>>20)
			return
		case <-deadline:
			t.Fatalf("no result after %v", limit)
		case <-tick.C:
			if h := heap(); h > base && h-base > peak {
				peak = h - base
				if peak > maxHeap {
					t.Fatalf("the heap grew by %d MB, past the %d MB budget", peak>>20, maxHeap>>20)
				}
			}
		}
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

// 2,000 Celery services loading one settings module: no step is quadratic
// in the services (this took 15 s), and a finding that would name each of
// them lists MaxRelated and says how many more there are.
func TestThousandsOfServices(t *testing.T) {
	root := t.TempDir()
	var b strings.Builder
	b.WriteString("services:\n  redis:\n    image: redis\n  web:\n    build: .\n    command: gunicorn app.wsgi --workers 2\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "  worker%d:\n    build: .\n    command: celery -A app worker -c 4 -Q q%d\n", i, i)
	}
	put(t, root, "docker-compose.yml", []byte(b.String()))
	put(t, root, "Dockerfile", []byte("FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=app.settings\nCMD [\"gunicorn\", \"app.wsgi\"]\n"))
	put(t, root, "app/settings.py", []byte("DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app', 'CONN_MAX_AGE': 600}}\nCELERY_BROKER_URL = 'redis://redis:6379/0'\n"))
	bound(t, 60*time.Second, func() {
		s, errs := stack.Load([]string{root}, 0)
		if len(errs) > 0 {
			t.Errorf("errors %v", errs)
			return
		}
		ds := driver.Run(s, rules.All())
		long := 0
		for _, d := range ds {
			if len(d.Related) > driver.MaxRelated+1 {
				t.Errorf("%s lists %d related locations", d.Rule.ID, len(d.Related))
			}
			if len(d.Related) == driver.MaxRelated+1 {
				long++
				if last := d.Related[driver.MaxRelated].Message; !strings.Contains(last, "more related locations") {
					t.Errorf("%s: the last related location does not summarise the rest: %q", d.Rule.ID, last)
				}
			}
		}
		if long == 0 {
			t.Error("no finding relates the 2,000 workers: the case no longer tests the summary")
		}
		driver.Fix(s, driver.Options{Rules: rules.All()})
	})
}
