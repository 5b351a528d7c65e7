package stack

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/parsers"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"Dockerfile":                        "FROM python\n",
		"deploy/nginx/site.conf":            "server {}\n",
		"docker-compose.yml":                "services: {}\n",
		"app/settings.py":                   "DEBUG = False\n",
		"app/conf.py":                       "CACHES = {}\n",
		"app/models.py":                     "class A: pass\n",
		"requirements.txt":                  "django\n",
		"node_modules/x/Dockerfile":         "FROM node\n",
		".git/Dockerfile":                   "FROM x\n",
		"env/pyvenv.cfg":                    "home = /usr\n",
		"env/lib/site/settings.py":          "DEBUG = True\n",
		"README.md":                         "# hi\n",
		"deploy/nginx/sites/extra.conf.bak": "server {}\n",
	})
	// A symlink loop must not hang discovery.
	os.Symlink(root, filepath.Join(root, "deploy", "loop"))
	cands, errs := Discover([]string{root})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, c := range cands {
		rel, _ := filepath.Rel(root, c.Path)
		got = append(got, filepath.ToSlash(rel)+"="+c.Kind.String())
	}
	want := []string{"Dockerfile=dockerfile", "app/conf.py=python", "app/models.py=python-app", "app/settings.py=python", "deploy/nginx/site.conf=nginx", "docker-compose.yml=compose", "requirements.txt=requirements"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Discover =\n%v\nwant\n%v", got, want)
	}
}

func TestLoadErrorsAreValues(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"docker-compose.yml": "services:\n  web: [\n",
		"requirements.txt":   "django==5.1\n",
	})
	s, errs := Load([]string{root}, 0)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "docker-compose.yml:") {
		t.Fatalf("errs = %v", errs)
	}
	if r, ok := s.Version("Django"); !ok || r.Version.String() != "5.1" {
		t.Errorf("the readable file was not loaded: %v %v", r, ok)
	}
}

func TestMaxFileSize(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"requirements.txt": strings.Repeat("x\n", 100)})
	_, errs := Load([]string{root}, 50)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "larger than the 50-byte limit") {
		t.Errorf("errs = %v", errs)
	}
}

func TestExplicitFile(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"notes.txt": "x\n", "Dockerfile.web": "FROM x\n"})
	cands, errs := Discover([]string{filepath.Join(root, "Dockerfile.web"), filepath.Join(root, "notes.txt")})
	if len(cands) != 1 || cands[0].Kind != parsers.KindDockerfile {
		t.Errorf("cands = %v", cands)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "notes.txt: not a file headroom reads") {
		t.Errorf("errs = %v", errs)
	}
}

func TestServerFor(t *testing.T) {
	s, errs := Load([]string{"../testdata/wingman"}, 0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for host, want := range map[string]string{"web": "Dockerfile", "daphne": "docker-compose.yml", "redis": ""} {
		c := s.ServerFor(host)
		got := ""
		if c != nil {
			got = filepath.Base(c.File.Doc.Path)
		}
		if got != want {
			t.Errorf("ServerFor(%q) from %q, want %q", host, got, want)
		}
	}
	if m, _ := s.WebMode(); m != ModeASGI {
		t.Errorf("WebMode = %v, want ASGI (gunicorn with Uvicorn workers)", m)
	}
}

func TestExplicitFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "settings.py")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan []error, 1)
	go func() { _, errs := Discover([]string{p}); done <- errs }()
	select {
	case errs := <-done:
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "not a regular file") {
			t.Errorf("errs = %v", errs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("discovery blocked on a FIFO named explicitly")
	}
}

// TestDiscoverTree: the tree holds every file discovery walks past, read or
// not, and nothing of the folders it never enters; the nginx file a
// compose mount names under an unknown name is loaded.
func TestDiscoverTree(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"Dockerfile":            "FROM python\nCOPY docker/start /start\nCMD [\"/start\"]\n",
		"docker/start":          "#!/bin/sh\nexec \"$@\"\n",
		"README.md":             "# app\n",
		".git/HEAD":             "ref: refs/heads/main\n",
		"node_modules/x/run.sh": "#!/bin/sh\n",
		"docker-compose.yml":    "services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n      - ./deploy/site:/etc/nginx/conf.d/default.conf\n      - ./deploy/htpasswd:/etc/nginx/htpasswd\n",
		"deploy/site":           "server {\n    listen 80;\n}\n",
		"deploy/htpasswd":       "admin:$apr1$x$y\n",
	})
	cands, tree, errs := DiscoverTree([]string{root}, DiscoverOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, p := range []string{"Dockerfile", "docker/start", "README.md", "deploy/site"} {
		if !tree.Has(filepath.ToSlash(filepath.Join(root, p))) {
			t.Errorf("tree lacks %s", p)
		}
	}
	for _, p := range []string{".git/HEAD", "node_modules/x/run.sh", "docker/missing"} {
		if tree.Has(filepath.ToSlash(filepath.Join(root, p))) {
			t.Errorf("tree holds %s", p)
		}
	}
	if !tree.Covers(filepath.ToSlash(filepath.Join(root, "docker/missing"))) || tree.Covers("/elsewhere/start") {
		t.Error("Covers is wrong")
	}
	if len(cands) != 2 {
		t.Errorf("candidates %v, want the Dockerfile and the compose file", cands)
	}
	s, errs := Load([]string{root}, MaxFileSize)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var nginx []string
	for _, f := range s.Files {
		if f.Nginx != nil {
			nginx = append(nginx, strings.TrimPrefix(f.Doc.Path, filepath.ToSlash(root)+"/"))
		}
	}
	if !reflect.DeepEqual(nginx, []string{"deploy/site"}) {
		t.Errorf("nginx files %v, want the mounted deploy/site (not the password file)", nginx)
	}
	if s.Tree == nil {
		t.Error("Load left the stack without its tree")
	}
}
