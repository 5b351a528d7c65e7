package realtools

import (
	"embed"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sandbox is the scratch Django project the settings under test are loaded
// into: a package for them, stand-ins for the settings helpers test stacks
// import (dj-database-url, django-environ), and the loader script.
//
//go:embed all:sandbox
var sandbox embed.FS

var moduleName = regexp.MustCompile(`[^A-Za-z0-9_]`)

// DjangoSettings fails t unless Debian's Django loads src as the settings
// module through django.conf.settings and finds DATABASES and CACHES of the
// shapes it needs. Only test fixtures are loaded: src and siblings (other
// Python files of the same test stack, for `from .base import *`) are
// copied into a scratch package in a temporary folder, and python3 runs
// isolated (-I) with an empty environment, so settings read their defaults.
func DjangoSettings(t testing.TB, name string, src []byte, siblings map[string][]byte) {
	t.Helper()
	py := find(t, "/usr/bin/python3", "python3")
	if out, err := exec.Command(py, "-I", "-c", "import django").CombinedOutput(); err != nil {
		missing(t, "python3-django", string(out))
	}
	dir := t.TempDir()
	err := fs.WalkDir(sandbox, "sandbox", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("sandbox", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := sandbox.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "headroom_sandbox")
	for p, b := range siblings {
		base := filepath.Base(p)
		if strings.HasSuffix(base, ".py") && base != "__init__.py" {
			os.WriteFile(filepath.Join(pkg, base), b, 0o644)
		}
	}
	mod := moduleName.ReplaceAllString(strings.TrimSuffix(filepath.Base(name), ".py"), "_")
	if err := os.WriteFile(filepath.Join(pkg, mod+".py"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-I", "-B", filepath.Join(dir, "check.py"), mod)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("Django does not load %s as settings after the fix: %v\n%s", name, err, strings.ReplaceAll(string(out), dir, "<sandbox>"))
	}
}

// missing fails or skips t for a tool that is not installed, as find does.
func missing(t testing.TB, pkg, detail string) {
	t.Helper()
	if os.Getenv("HEADROOM_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s not installed (HEADROOM_REQUIRE_TOOLS=1): install Debian's packages as .ci/run does\n%s", pkg, detail)
	}
	t.Skipf("%s not installed: skipping the real-tool check (CI installs it)", pkg)
}
