package stack

import (
	"path/filepath"
	"reflect"
	"testing"
)

func discovered(t *testing.T, root string, paths []string, opt DiscoverOptions) []string {
	t.Helper()
	cands, errs := DiscoverWith(paths, opt)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, c := range cands {
		rel, err := filepath.Rel(root, c.Path)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.ToSlash(rel))
	}
	return got
}

func TestDiscoverGitignore(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".git/HEAD":                          "ref: refs/heads/main\n",
		".git/info/exclude":                  "local/\n",
		".gitignore":                         "# build output\n/build-cache/\n*.generated.yml\n!keep.generated.yml\nlogs\r\n",
		"Dockerfile":                         "FROM python\n",
		"build-cache/docker-compose.yml":     "services: {}\n",
		"svc/build-cache/docker-compose.yml": "services: {}\n", // anchored: only the root's build-cache
		"svc/docker-compose.generated.yml":   "services: {}\n",
		"svc/keep.generated.yml":             "services: {}\n", // not a compose name either way
		"svc/compose.generated.yml":          "services: {}\n",
		"svc/compose.yml":                    "services: {}\n",
		"svc/.gitignore":                     "Dockerfile.dev\n/nginx/\n!/deploy/\n",
		"svc/Dockerfile.dev":                 "FROM python\n",
		"svc/Dockerfile":                     "FROM python\n",
		"svc/nginx/nginx.conf":               "events {}\n",
		"svc/deploy/nginx/nginx.conf":        "events {}\n",
		"other/Dockerfile.dev":               "FROM python\n", // svc's .gitignore does not reach here
		"logs/settings.py":                   "DEBUG = False\n",
		"local/requirements.txt":             "django\n",
		"vendor/.gitignore":                  "*\n!*/\n!requirements.txt\n",
		"vendor/requirements.txt":            "django\n",
		"vendor/Dockerfile":                  "FROM x\n",
	})
	want := []string{"Dockerfile", "other/Dockerfile.dev", "svc/Dockerfile", "svc/build-cache/docker-compose.yml", "svc/compose.yml", "svc/deploy/nginx/nginx.conf", "vendor/requirements.txt"}
	if got := discovered(t, root, []string{root}, DiscoverOptions{}); !reflect.DeepEqual(got, want) {
		t.Errorf("Discover =\n%v\nwant\n%v", got, want)
	}

	// A walk from inside the repository still obeys the root's ignore files.
	if got := discovered(t, root, []string{filepath.Join(root, "svc")}, DiscoverOptions{}); !reflect.DeepEqual(got, []string{"svc/Dockerfile", "svc/build-cache/docker-compose.yml", "svc/compose.yml", "svc/deploy/nginx/nginx.conf"}) {
		t.Errorf("Discover(svc) = %v", got)
	}

	// A path named explicitly is read, ignored or not; so is everything
	// with NoIgnore.
	if got := discovered(t, root, []string{filepath.Join(root, "svc", "Dockerfile.dev")}, DiscoverOptions{}); !reflect.DeepEqual(got, []string{"svc/Dockerfile.dev"}) {
		t.Errorf("explicit ignored file: %v", got)
	}
	if got := discovered(t, root, []string{filepath.Join(root, "build-cache")}, DiscoverOptions{}); !reflect.DeepEqual(got, []string{"build-cache/docker-compose.yml"}) {
		t.Errorf("explicit ignored folder: %v", got)
	}
	all := discovered(t, root, []string{root}, DiscoverOptions{NoIgnore: true})
	if len(all) != 15 {
		t.Errorf("NoIgnore found %d files: %v", len(all), all)
	}
}

// Outside a repository, the .gitignore files of the walked tree count.
func TestDiscoverGitignoreWithoutRepository(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".gitignore":              "/build-cache/\n",
		"build-cache/compose.yml": "services: {}\n",
		"services/a/compose.yml":  "services: {}\n",
	})
	if got := discovered(t, root, []string{root}, DiscoverOptions{}); !reflect.DeepEqual(got, []string{"services/a/compose.yml"}) {
		t.Errorf("Discover = %v", got)
	}
}
