package stack

import (
	"reflect"
	"testing"

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
// files beneath neither go together.
func TestDeploymentsWithoutCompose(t *testing.T) {
	var files []*File
	for _, p := range []string{"a/Dockerfile", "a/settings.py", "b/Dockerfile", "loose/settings.py", "other/settings.py"} {
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
	if !reflect.DeepEqual(sizes, []int{2, 1, 2}) {
		t.Errorf("group sizes = %v, want [2 1 2]", sizes)
	}
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
