package parsers

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGunicornConfigMatchesRegexp checks isGunicornConfig's line scan
// against the regular expression it replaced, on every .py file of the
// repository's testdata and on lines built to tell them apart.
func TestGunicornConfigMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`(?m)^(bind|workers|worker_class|threads|timeout|graceful_timeout|keepalive|max_requests|max_requests_jitter|wsgi_app|preload_app|worker_connections|accesslog|errorlog)[ \t]*=`)
	want := func(head []byte) bool {
		names := map[string]bool{}
		for _, m := range re.FindAllSubmatch(head, -1) {
			names[string(m[1])] = true
		}
		return len(names) >= 2 && (names["bind"] || names["workers"])
	}
	heads := [][]byte{
		[]byte("bind = '0.0.0.0:8000'\nworkers = 4\n"),
		[]byte("workers=4\r\nworker_class = 'gthread'\r\n"),
		[]byte("workers_x = 4\nbind = 1\n"),
		[]byte("  workers = 4\nbind = 1\n"),
		[]byte("workers == 4\nbind = 1\n"),
		[]byte("workers2 = 4\ntimeout\t= 3\nbind=1"),
		[]byte("bind = 1\nbind = 2\n"),
		[]byte("WORKERS = 4\nbind = 1\n"),
	}
	n := 0
	for _, root := range []string{"../testdata", "../rules"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".py") {
				if b, err := os.ReadFile(p); err == nil {
					heads = append(heads, b)
					n++
				}
			}
			return nil
		})
	}
	if n < 50 {
		t.Fatalf("only %d .py files found under testdata", n)
	}
	for _, h := range heads {
		if got, w := isGunicornConfig(h), want(h); got != w {
			t.Errorf("isGunicornConfig(%.60q) = %v, the regular expression says %v", h, got, w)
		}
	}
}
