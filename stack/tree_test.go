package stack

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func TestTreeRoot(t *testing.T) {
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{"a/nginx/nginx.conf", "a/Dockerfile"}, "a"},
		{[]string{"Dockerfile", "nginx/nginx.conf"}, "."},
		{[]string{"/srv/app/b/x.conf", "/srv/app/a/Dockerfile"}, "/srv/app"},
		{[]string{"../other/Dockerfile", "../other/nginx/nginx.conf"}, "../other"},
		{[]string{"ab/Dockerfile", "a/Dockerfile"}, "."},
	} {
		var files []*File
		for _, p := range c.paths {
			files = append(files, &File{Doc: parsers.NewDocument(p, parsers.KindUnknown, nil)})
		}
		if got := (&Stack{Files: files}).treeRoot(); got != c.want {
			t.Errorf("treeRoot(%v) = %q, want %q", c.paths, got, c.want)
		}
	}
	for _, c := range []struct {
		root, p string
		out     bool
	}{
		{"/srv/app", "/srv/app/nginx/mime.types", false},
		{"/srv/app", "/etc/nginx/mime.types", true},
		{"/srv/app", "/srv/application/x", true},
		{".", "nginx/x.conf", false},
		{".", "../x.conf", true},
		{"a", "a/../b/x", true},
		{".", "/etc/nginx/mime.types", true},
	} {
		if got := outside(c.root, c.p); got != c.out {
			t.Errorf("outside(%q, %q) = %v, want %v", c.root, c.p, got, c.out)
		}
	}
}
