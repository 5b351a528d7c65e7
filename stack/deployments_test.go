package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/parsers"
)

func TestDeployments(t *testing.T) {
	src := map[string]string{
		// Two services of a monorepo, each its own compose deployment.
		"services/api/docker-compose.yml":      "services:\n  web:\n    build: .\n",
		"services/api/Dockerfile":              "FROM python\n",
		"services/api/app/settings.py":         "DEBUG = False\n",
		"services/api/deploy/nginx/nginx.conf": "events {}\n",
		"services/jobs/docker-compose.yml":     "services:\n  worker:\n    build: .\n",
		"services/jobs/Dockerfile":             "FROM python\n",
		// Beneath the top-level compose file, an unreferenced Dockerfile
		// belongs to its deployment.
		"tools/Dockerfile": "FROM python\n",
		// A top-level compose file building a nested Dockerfile joins it.
		"docker-compose.yml":            "services:\n  site:\n    build: ./site\n    volumes:\n      - ./conf/nginx.conf:/etc/nginx/nginx.conf:ro\n",
		"site/Dockerfile":               "FROM python\n",
		"site/settings.py":              "DEBUG = False\n",
		"conf/nginx.conf":               "events {}\n",
		"requirements.txt":              "django\n",
		"services/api/requirements.txt": "django==5.1\n",
	}
	var files []*File
	for _, p := range sortedKeys(src) {
		f, err := Parse(parsers.NewDocument(p, parsers.Detect(p, []byte(src[p])), []byte(src[p])))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		files = append(files, f)
	}
	var got [][]string
	for _, g := range Deployments(files) {
		var paths []string
		for _, f := range g {
			paths = append(paths, f.Doc.Path)
		}
		got = append(got, paths)
	}
	want := [][]string{
		{"conf/nginx.conf", "docker-compose.yml", "requirements.txt", "site/Dockerfile", "site/settings.py", "tools/Dockerfile"},
		{"services/api/Dockerfile", "services/api/app/settings.py", "services/api/deploy/nginx/nginx.conf", "services/api/docker-compose.yml", "services/api/requirements.txt"},
		{"services/jobs/Dockerfile", "services/jobs/docker-compose.yml"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Deployments =\n%v\nwant\n%v", got, want)
	}
}

// Without compose files, each Dockerfile's folder is a deployment, and
// files beneath neither go together; with only one such folder, they join
// it (docker/ with the Dockerfile, settings/ with the base module).
func TestDeploymentsWithoutCompose(t *testing.T) {
	if sizes := deploymentSizes(t, "a/Dockerfile", "a/settings.py", "b/Dockerfile", "loose/settings.py", "other/settings.py"); !reflect.DeepEqual(sizes, []int{2, 1, 2}) {
		t.Errorf("group sizes = %v, want [2 1 2]", sizes)
	}
	if sizes := deploymentSizes(t, "docker/Dockerfile", "docker/config.py", "manage.py", "settings/common.py"); !reflect.DeepEqual(sizes, []int{4}) {
		t.Errorf("one Dockerfile folder: group sizes = %v, want [4]", sizes)
	}
}

func deploymentSizes(t *testing.T, paths ...string) []int {
	t.Helper()
	var files []*File
	for _, p := range paths {
		kind, src := parsers.Detect(p, nil), ""
		if kind == parsers.KindDockerfile {
			src = "FROM python\n"
		}
		f, err := Parse(parsers.NewDocument(p, kind, []byte(src)))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	var sizes []int
	for _, g := range Deployments(files) {
		sizes = append(sizes, len(g))
	}
	return sizes
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// EachDeployment reads each deployment on its own, yet splits the tree as
// Deployments splits everything read at once: same deployments, same
// order, same files, same skipped templates and errors, also where a
// compose file or Dockerfile that would anchor a deployment does not load
// and where a deployment's first file does not.
func TestEachDeploymentMatchesDeployments(t *testing.T) {
	dir := t.TempDir()
	src := map[string]string{
		"services/api/docker-compose.yml":    "services:\n  web:\n    build: .\n    env_file: ../shared/.env\n",
		"services/api/Dockerfile":            "FROM python\nCMD gunicorn app.wsgi\n",
		"services/api/app/settings.py":       "DEBUG = False\nDATABASES = {}\n",
		"services/api/nested/compose.yaml":   "services:\n  side:\n    image: redis\n",
		"services/api/nested/settings.py":    "DATABASES = {\n",
		"services/api/zz/requirements.txt":   "django\n",
		"services/shared/.env":               "WEB_CONCURRENCY=3\n",
		"services/shared/Dockerfile":         "FROM python\n",
		"services/broken/docker-compose.yml": "services: [\n",
		"services/broken/Dockerfile":         "FROM python\n",
		"services/broken/settings.py":        "DATABASES = {}\n",
		"services/tpl/Dockerfile":            "{% if slim %}FROM python:slim{% else %}FROM python{% endif %}\n",
		"services/tpl/settings.py":           "DATABASES = {}\n",
		"services/a/settings.py":             "DATABASES = {\n",
		"services/a/b/requirements.txt":      "django\n",
		"site/Dockerfile":                    "FROM python\n",
		// The first file of the deployment beneath no compose file or
		// Dockerfile does not load; a later deployment starts before its
		// second.
		"b/settings.py":      "DATABASES = {\n",
		"bb/Dockerfile":      "FROM python\n",
		"c/requirements.txt": "django\n",
	}
	for p, s := range src {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths := func(fs []*File) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Doc.Path)
		}
		return out
	}
	files, _, skipped, errs := load([]string{dir}, 0, DiscoverOptions{})
	var want [][]string
	for _, g := range Deployments(files) {
		want = append(want, paths(g))
	}
	var got [][]string
	gotSkipped, gotErrs := EachDeployment([]string{dir}, 0, DiscoverOptions{}, func(s *Stack) []string { return paths(s.Files) },
		func(p []string, _ string) { got = append(got, p) })
	if !reflect.DeepEqual(got, want) || len(want) < 6 {
		t.Errorf("EachDeployment =\n%v\nwant\n%v", got, want)
	}
	if !reflect.DeepEqual(gotSkipped, skipped) || len(skipped) == 0 {
		t.Errorf("skipped = %v, want %v", gotSkipped, skipped)
	}
	if fmt.Sprint(gotErrs) != fmt.Sprint(errs) || len(errs) < 3 {
		t.Errorf("errors = %v, want %v", gotErrs, errs)
	}
}

// ordered hands results on in index order whatever order they finish in,
// and never starts an item window or more past the first one not handed on.
func TestOrderedKeepsOrderWithinTheWindow(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		const n, window = 200, 5
		var handed atomic.Int64
		var got []int
		ordered(n, window, func(i int) int { return i }, func(i int) (int, int) {
			if h := int(handed.Load()); i >= h+window {
				t.Errorf("GOMAXPROCS=%d: item %d started with %d handed on (window %d)", procs, i, h, window)
			}
			if i%7 == 0 {
				time.Sleep(time.Millisecond) // finish out of order
			}
			return i, i
		}, func(i int) {
			got = append(got, i)
			handed.Add(1)
		})
		runtime.GOMAXPROCS(old)
		if len(got) != n {
			t.Fatalf("GOMAXPROCS=%d: %d results, want %d", procs, len(got), n)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("GOMAXPROCS=%d: result %d is %d", procs, i, v)
			}
		}
	}
}
