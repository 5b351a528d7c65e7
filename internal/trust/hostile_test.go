package trust

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// located is the shape of every input error: path:line:col: message, or
// path: message for errors about the file as a whole.
var located = regexp.MustCompile(`^[^:\s]+(:\d+:\d+)?: \S`)

func put(t *testing.T, root, rel string, src []byte) string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const companion = "requirements.txt"

// loadBounded loads root with a time bound, lints and fixes what loaded
// with every rule, and returns the load errors. A companion file that is
// always valid must be loaded whatever the hostile file does.
func loadBounded(t *testing.T, root string, maxSize int64) []error {
	t.Helper()
	put(t, root, companion, []byte("Django==5.1\n"))
	done := make(chan []error, 1)
	go func() {
		s, errs := stack.Load([]string{root}, maxSize)
		if _, ok := s.Version("django"); !ok {
			errs = append(errs, fmt.Errorf("the valid %s beside the hostile file was not loaded", companion))
		}
		driver.Run(s, rules.All())
		driver.Fix(s, driver.Options{Rules: rules.All(), Unsafe: true})
		done <- errs
	}()
	select {
	case errs := <-done:
		for _, err := range errs {
			if !located.MatchString(err.Error()) {
				t.Errorf("error not in path:line:col: message form: %q", err)
			}
		}
		return errs
	case <-time.After(60 * time.Second):
		t.Fatal("no result after 60s")
		return nil
	}
}

func nest(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// hostile are inputs written to hurt a parser: each must give a located
// error or a bounded result, and the other files must still load.
var hostile = []struct {
	name, path, src string
	wantErr         string // "" when a result without error is acceptable
}{
	{"yaml alias bomb", "docker-compose.yml", billionLaughs(), ""},
	{"compose nested 10000 deep (flow)", "docker-compose.yml", "services: " + nest("[", "]", 10000) + "\n", ""},
	{"compose nested 10000 deep (block)", "docker-compose.yml", blockNest(10000), ""},
	{"nginx nested 10000 deep", "nginx/nginx.conf", nest("a {\n", "}\n", 10000), ""},
	{"dockerfile exec form nested 10000 deep", "Dockerfile", "FROM x\nCMD " + nest("[", "]", 10000) + "\n", ""},
	{"dockerfile 10000 continuation lines", "Dockerfile", "FROM x\nRUN a" + strings.Repeat(" \\\n a", 10000) + "\n", ""},
	{"python nested 10000 deep", "app/settings.py", "DATABASES = " + nest("(", ")", 10000) + "\n", ""},
	{"python dict nested 10000 deep", "app/settings.py", "DATABASES = " + nest("{'a': ", "}", 10000) + "\n", ""},
	{"pyproject nested 10000 deep", "pyproject.toml", "[project]\ndependencies = " + nest("[", "]", 10000) + "\n", ""},
	{"nginx nested 1000000 deep", "nginx/nginx.conf", nest("a{", "}", 1000000) + "\n", "nesting deeper than"},
	{"python nested 1000000 deep", "app/settings.py", "DATABASES = " + nest("(", ")", 1000000) + "\n", "nesting deeper than"},
	{"python dict nested 1000000 deep", "app/settings.py", "DATABASES = " + nest("{'a': ", "}", 1000000) + "\n", "nesting deeper than"},
	{"start script nested 1000000 deep", "start.sh", "#!/bin/sh\nexec gunicorn app.wsgi\n" + nest("(", ")", 1000000) + "\n", "nesting deeper than"},
	{"compose command nested 100000 deep", "docker-compose.yml", "services:\n  web:\n    image: x\n    command: gunicorn " + nest("$(", ")", 100000) + "\n", "nesting deeper than"},
	{"compose nested 1000000 deep (flow)", "docker-compose.yml", "services: " + nest("[", "]", 1000000) + "\n", "max depth"},
	{"binary content", "nginx/nginx.conf", "events {}\n\x00\x01\x02\xff", "binary content"},
	{"invalid UTF-8", "app/settings.py", "DATABASES = {}\nX = '\xff\xfe'\n", "invalid UTF-8"},
	{"invalid UTF-8 in compose", "docker-compose.yml", "services:\n  web:\n    image: \xc3\x28\n", "invalid UTF-8"},
}

func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	b.WriteString("services:\n  web:\n    image: x\n    command: *i\n")
	return b.String()
}

func blockNest(n int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i+2) + "k:\n")
	}
	return b.String()
}

func TestHostileInputs(t *testing.T) {
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			root := t.TempDir()
			put(t, root, h.path, []byte(h.src))
			var errs []error
			bound(t, 60*time.Second, func() { errs = loadBounded(t, root, 0) })
			if h.wantErr != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), h.wantErr)) {
				t.Errorf("errors %v, want one about %q", errs, h.wantErr)
			}
			for _, err := range errs {
				if strings.Contains(err.Error(), "was not loaded") {
					t.Error(err)
				}
			}
		})
	}
}

// TestFiftyMegabytes: a 50 MB file is refused by the default limit without
// being read whole; raised past it, it is read and linted in bounded time.
func TestFiftyMegabytes(t *testing.T) {
	root := t.TempDir()
	line := "    # " + strings.Repeat("x", 57) + "\n"
	big := "events {}\nhttp {\n" + strings.Repeat(line, 50<<20/len(line)) + "}\n"
	put(t, root, "nginx/nginx.conf", []byte(big))
	errs := loadBounded(t, root, 0)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "--max-file-size") {
		t.Errorf("errors %v, want the size limit", errs)
	}
	start := time.Now()
	if errs := loadBounded(t, root, 60<<20); len(errs) != 0 {
		t.Errorf("with the limit raised: %v", errs)
	}
	t.Logf("50 MB nginx.conf linted and fixed in %v", time.Since(start))
}

// TestVanishedFile: a file discovered, then removed before it is read,
// is an error naming it; the others are still read.
func TestVanishedFile(t *testing.T) {
	root := t.TempDir()
	p := put(t, root, "nginx/nginx.conf", []byte("events {}\n"))
	put(t, root, companion, []byte("Django==5.1\n"))
	cands, errs := stack.Discover([]string{root})
	if len(errs) > 0 || len(cands) != 2 {
		t.Fatalf("discover: %v %v", cands, errs)
	}
	os.Remove(p)
	files, errs := stack.Read(cands, 0)
	if len(files) != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "nginx.conf: no such file") {
		t.Errorf("files %d, errors %v", len(files), errs)
	}
}

// TestSymlinkLoop: a folder of symlinks pointing at each other and at
// their parent ends discovery; the tree's files are linted.
func TestSymlinkLoop(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "loop"), 0o755)
	os.Symlink(filepath.Join(root, "loop", "b"), filepath.Join(root, "loop", "a"))
	os.Symlink(filepath.Join(root, "loop", "a"), filepath.Join(root, "loop", "b"))
	os.Symlink(root, filepath.Join(root, "loop", "up"))
	if errs := loadBounded(t, root, 0); len(errs) != 0 {
		t.Errorf("errors %v", errs)
	}
}

// TestFIFO: a named pipe where a deployment file would be is not opened
// (opening it would block until a writer comes).
func TestFIFO(t *testing.T) {
	root := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(root, "nginx.conf"), 0o644); err != nil {
		t.Skip(err)
	}
	loadBounded(t, root, 0)
}

// buildBinary builds cmd/headroom once for the tests that run it as a user
// would.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "headroom")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/headroom-dev/headroom/cmd/headroom")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestUnreadableFile: a file the user may not read is reported as
// path: permission denied and exit 2, and the other files are still
// linted and reported.
func TestUnreadableFile(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	put(t, root, "nginx/nginx.conf", []byte("events {}\nhttp {\n    server { location / { proxy_pass http://app:8000; } }\n}\n"))
	put(t, root, "app/settings.py", []byte("DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'CONN_MAX_AGE': 0}}\n"))
	os.Chmod(filepath.Join(root, "app", "settings.py"), 0o000)
	cmd := exec.Command(bin, "lint", ".")
	cmd.Dir = root
	if os.Getuid() == 0 {
		// root reads everything: run as nobody, who can read the rest.
		os.Chmod(filepath.Dir(root), 0o755) // the test's own temporary folder
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && info.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		for d := filepath.Dir(root); d != "/"; d = filepath.Dir(d) {
			if info, err := os.Stat(d); err == nil && info.Mode().Perm()&0o001 == 0 {
				t.Skipf("%s is not searchable by nobody", d)
			}
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	out, err := cmd.CombinedOutput()
	if code := exitCode(err); code != 2 {
		t.Errorf("exit %d, want 2\n%s", code, out)
	}
	if !strings.Contains(string(out), "app/settings.py: permission denied") {
		t.Errorf("no error naming the unreadable file:\n%s", out)
	}
	if !strings.Contains(string(out), "nginx/nginx.conf:") {
		t.Errorf("the readable file was not linted:\n%s", out)
	}
}
