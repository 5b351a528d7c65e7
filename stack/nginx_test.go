package stack

import (
	"reflect"
	"testing"
)

func TestNginxInstances(t *testing.T) {
	s := build(t, map[string]string{
		"docker-compose.yml": "services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n" +
			"      - ./nginx/api.conf:/etc/nginx/conf.d/api.conf:ro\n" +
			"      - ./nginx/admin.conf:/etc/nginx/conf.d/admin.conf:ro\n" +
			"  edge:\n    image: nginx:1.27\n    volumes:\n      - ./edge:/etc/nginx:ro\n",
		"nginx/api.conf":            "server { listen 80; }\n",
		"nginx/admin.conf":          "server { listen 81; }\n",
		"edge/nginx.conf":           "events {}\nhttp { include conf.d/*.conf; }\n",
		"edge/conf.d/site.conf":     "server { listen 80; }\n",
		"sites-available/blog.conf": "server { listen 80; }\n",
	})
	got := map[string]string{}
	hosts := map[string]NginxHost{}
	for _, in := range s.NginxInstances() {
		for _, f := range in.Files {
			got[f.Doc.Path] = in.Paths[f]
			hosts[f.Doc.Path] = in.Host
		}
	}
	want := map[string]string{
		"nginx/api.conf":            "/etc/nginx/conf.d/api.conf",
		"nginx/admin.conf":          "/etc/nginx/conf.d/admin.conf",
		"edge/nginx.conf":           "/etc/nginx/nginx.conf",
		"edge/conf.d/site.conf":     "/etc/nginx/conf.d/site.conf",
		"sites-available/blog.conf": "/etc/nginx/sites-enabled/blog.conf",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paths:\n got %v\nwant %v", got, want)
	}
	if hosts["nginx/api.conf"] != HostOfficialImage || hosts["edge/conf.d/site.conf"] != HostInView || hosts["sites-available/blog.conf"] != HostDebian {
		t.Errorf("hosts: %v", hosts)
	}
	api := s.File("nginx/api.conf")
	if peers := s.NginxPeers(api); len(peers) != 2 {
		t.Errorf("nginx/api.conf shares its nginx with %d files, want 2 (the two mounted in service proxy)", len(peers))
	}
	if peers := s.NginxPeers(s.File("edge/conf.d/site.conf")); len(peers) != 2 || peers[0].Doc.Path != "edge/nginx.conf" {
		t.Errorf("edge peers: %v", peers)
	}
}
