// Package realtools checks fixed files with the tools that will read them in
// production: nginx -t for nginx configuration, Python's own compiler and
// Django's settings loader for Python, BuildKit's parser for Dockerfiles and
// compose-go's loader for compose files. Tests skip with a clear message where a tool is missing, unless
// HEADROOM_REQUIRE_TOOLS=1 (CI sets it) makes a missing tool a failure.
package realtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Find is the path of the first of names installed; it skips t (fails it
// under HEADROOM_REQUIRE_TOOLS=1) when none is.
func Find(t testing.TB, names ...string) string {
	t.Helper()
	return find(t, names...)
}

func find(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("HEADROOM_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s not installed (HEADROOM_REQUIRE_TOOLS=1): install Debian's packages as .ci/run does", names[0])
	}
	t.Skipf("%s not installed: skipping the real-tool check (CI installs it)", names[0])
	return ""
}

// PyCompile fails t unless src compiles with python3 -m py_compile.
func PyCompile(t testing.TB, name string, src []byte) {
	t.Helper()
	py := find(t, "/usr/bin/python3", "python3")
	dir := t.TempDir()
	p := filepath.Join(dir, filepath.Base(name))
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(py, "-m", "py_compile", p).CombinedOutput(); err != nil {
		t.Errorf("%s does not compile after the fix: %v\n%s", name, err, out)
	}
}

var (
	eventsBlock = regexp.MustCompile(`(?m)^\s*events\s*\{`)
	httpBlock   = regexp.MustCompile(`(?m)^\s*http\s*\{`)
	// Upstream hosts are compose service names that only resolve inside the
	// compose network; nginx -t resolves them, so the check points them at
	// the loopback address. Upstream names (no port) are left alone.
	serviceHost = regexp.MustCompile(`((?:^|\s)server\s+|(?:proxy|uwsgi|fastcgi|grpc)_pass\s+(?:[a-z]+://)?)([A-Za-z_][A-Za-z0-9_.-]*)(:[0-9]+)`)
)

// NginxTest fails t unless nginx -t accepts src. A conf.d snippet (server
// blocks at the top) is included inside an http block; a file without an
// events block gets an empty one.
func NginxTest(t testing.TB, name string, src []byte) {
	t.Helper()
	nginx := find(t, "nginx", "/usr/sbin/nginx")
	dir := t.TempDir()
	conf := serviceHost.ReplaceAll(src, []byte("${1}127.0.0.1${3}"))
	file := filepath.Join(dir, "under-test.conf")
	if err := os.WriteFile(file, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	// Relative includes (mime.types, uwsgi_params...) resolve against the
	// prefix folder: give it the files Debian's nginx ships.
	if entries, err := os.ReadDir("/etc/nginx"); err == nil {
		for _, e := range entries {
			if e.Type().IsRegular() {
				os.Symlink(filepath.Join("/etc/nginx", e.Name()), filepath.Join(dir, e.Name()))
			}
		}
	}
	main := file
	switch {
	case eventsBlock.Match(conf):
	case httpBlock.Match(conf):
		main = filepath.Join(dir, "main.conf")
		os.WriteFile(main, []byte("events {}\ninclude "+file+";\n"), 0o644)
	default:
		main = filepath.Join(dir, "main.conf")
		os.WriteFile(main, []byte("events {}\nhttp {\n    include /etc/nginx/mime.types;\n    include "+file+";\n}\n"), 0o644)
	}
	cmd := exec.Command(nginx, "-t", "-q", "-p", dir, "-e", "stderr", "-c", main, "-g", "pid "+filepath.Join(dir, "nginx.pid")+";")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("nginx -t rejects %s after the fix: %v\n%s", name, err, strings.ReplaceAll(string(out), file, name))
	}
}
