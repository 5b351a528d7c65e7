package trust

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// outsideTree lays out a tree whose files point outside it every way the
// formats allow (nginx include, compose extends and include, env_file, a
// Python import, a Dockerfile COPY), at a secret folder beside the tree.
func outsideTree(t *testing.T) (tree, secret string) {
	base := t.TempDir()
	tree, secret = filepath.Join(base, "tree"), filepath.Join(base, "secret")
	put(t, secret, "nginx.conf", []byte("events {}\n"))
	put(t, secret, "compose.yml", []byte("services:\n  x:\n    image: x\n"))
	put(t, secret, "settings.py", []byte("DATABASES = {}\n"))
	put(t, tree, "nginx/nginx.conf", []byte("events {}\nhttp {\n    include "+secret+"/nginx.conf;\n    include ../../secret/nginx.conf;\n"+
		"    upstream app { server web:8000; }\n    server { location / { proxy_pass http://app; } }\n}\n"))
	put(t, tree, "docker-compose.yml", []byte("include:\n  - ../secret/compose.yml\n  - "+secret+"/compose.yml\nservices:\n  web:\n"+
		"    extends:\n      file: ../secret/compose.yml\n      service: x\n    env_file: "+secret+"/settings.py\n    command: gunicorn -w 2 app.wsgi\n"))
	put(t, tree, "app/settings.py", []byte("from secret.settings import *\nexec(open('"+secret+"/settings.py').read())\n"+
		"DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'CONN_MAX_AGE': 0}}\n"))
	put(t, tree, "Dockerfile", []byte("FROM python:3.12\nCOPY ../secret /app\nCMD [\"gunicorn\", \"app.wsgi\"]\n"))
	return tree, secret
}

// TestNeverLeavesTheTree runs lint and fix under strace and fails on any
// system call that names the secret folder (nginx include, compose
// extends/include, env_file, imports are recorded, never followed), on any
// socket, and on any program started besides headroom itself.
func TestNeverLeavesTheTree(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("HEADROOM_REQUIRE_TOOLS") == "1" {
			t.Fatal("strace not installed (HEADROOM_REQUIRE_TOOLS=1)")
		}
		t.Skip("strace not installed")
	}
	// Containers without ptrace rights make strace itself fail; that says
	// nothing about headroom.
	if out, err := exec.Command(strace, "-f", "-qq", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here: %v %s", err, out)
	}
	bin := buildBinary(t)
	for _, args := range [][]string{{"lint", "."}, {"fix", "--unsafe-fixes", "--phase", "3", "."}} {
		tree, secret := outsideTree(t)
		log := filepath.Join(t.TempDir(), "trace")
		cmd := exec.Command(strace, append([]string{"-f", "-qq", "-o", log, "-e", "trace=%file,%network,%process", bin}, args...)...)
		cmd.Dir = tree
		out, err := cmd.CombinedOutput()
		if code := exitCode(err); code < 0 || code > 1 {
			t.Fatalf("headroom %v: exit %d\n%s", args, code, out)
		}
		trace, _ := os.ReadFile(log)
		execs := 0
		for _, line := range strings.Split(string(trace), "\n") {
			switch {
			case strings.Contains(line, secret) || strings.Contains(line, "../secret"):
				t.Errorf("headroom %v touched a file outside the tree: %s", args, line)
			case strings.Contains(line, "socket(") || strings.Contains(line, "connect("):
				t.Errorf("headroom %v opened a socket: %s", args, line)
			case strings.Contains(line, "execve("):
				execs++
			}
		}
		if execs != 1 {
			t.Errorf("headroom %v ran %d programs (itself included), want 1:\n%s", args, execs, trace)
		}
	}
}

// TestNoNetwork runs lint and fix in an empty network namespace: same
// output, same exit code as with the machine's network.
func TestNoNetwork(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err == nil {
		err = exec.Command(unshare, "-n", "true").Run()
	}
	if err != nil {
		if os.Getenv("HEADROOM_REQUIRE_TOOLS") == "1" && os.Getuid() == 0 {
			t.Fatalf("unshare -n: %v", err)
		}
		t.Skipf("unshare -n unavailable: %v", err)
	}
	bin := buildBinary(t)
	for _, args := range [][]string{{"lint", "."}, {"fix", "--diff", "--phase", "3", "."}} {
		tree, _ := outsideTree(t) // lint and fix --diff write nothing
		run := func(prefix ...string) (string, int) {
			argv := append(append(prefix, bin), args...)
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = tree
			var b bytes.Buffer
			cmd.Stdout, cmd.Stderr = &b, &b
			err := cmd.Run()
			return b.String(), exitCode(err)
		}
		want, wantCode := run()
		got, code := run(unshare, "-n")
		if got != want || code != wantCode {
			t.Errorf("headroom %v without a network: exit %d, want %d\n%s\nwant\n%s", args, code, wantCode, got, want)
		}
	}
}

// TestNoNetworkPackages: the binary links no package that dials, and runs
// no program but git. Only pflag imports net (to parse IP-valued flags,
// none of which headroom defines); only internal/gitdiff imports os/exec,
// to ask git which files changed (--changed-since), never to run the
// user's code.
func TestNoNetworkPackages(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/headroom-dev/headroom/cmd/headroom").Output()
	if err != nil {
		t.Fatal(err)
	}
	banned := map[string]bool{"net/http": true, "net/rpc": true, "net/smtp": true, "plugin": true, "crypto/tls": true}
	allowed := map[string]string{"net": "github.com/spf13/pflag", "os/exec": "github.com/headroom-dev/headroom/internal/gitdiff"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if banned[f[0]] {
			t.Errorf("the binary links %s", f[0])
		}
		for _, imp := range f[1:] {
			if who, ok := allowed[imp]; ok && f[0] != who {
				t.Errorf("%s imports %s", f[0], imp)
			}
		}
	}
}
