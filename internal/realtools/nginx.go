package realtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

// NginxTree is one nginx as it runs: every file it loads at its path in
// nginx's file system. Paths outside /etc/nginx are left out.
type NginxTree struct {
	// Files maps an absolute path under /etc/nginx to the file's content.
	Files map[string][]byte
	// Host is the nginx.conf that wraps the snippets where Files has no
	// /etc/nginx/nginx.conf: "official" (the official Docker image's),
	// "debian" (Debian's and Ubuntu's package) or "" (a minimal one).
	Host string
	// Hosts are the host names the configuration names (compose services,
	// upstream servers): they resolve to 127.0.0.1 during the check, as the
	// compose network resolves them in production.
	Hosts []string
}

// OfficialNginxConf is the nginx.conf of the official image (docker-nginx's
// stable and mainline nginx.conf), without its `user nginx;` line: the
// checks run where no such user exists (a host, a user namespace mapping
// only root).
const OfficialNginxConf = `worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`

// Debian's /etc/nginx/nginx.conf (bookworm), comments left out.
const debianNginxConf = `worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;
include /etc/nginx/modules-enabled/*.conf;

events {
	worker_connections 768;
}

http {
	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;

	include /etc/nginx/mime.types;
	default_type application/octet-stream;

	ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
	ssl_prefer_server_ciphers on;

	access_log /var/log/nginx/access.log;

	gzip on;

	include /etc/nginx/conf.d/*.conf;
	include /etc/nginx/sites-enabled/*;
}
`

const minimalNginxConf = `events {}
http {
    include /etc/nginx/mime.types;
    include /etc/nginx/conf.d/*.conf;
}
`

var (
	nsOnce sync.Once
	nsOK   bool
	// noNamespaces makes the check take its fallback, for its test.
	noNamespaces bool
)

// privateMounts reports whether this machine lets an unprivileged process
// take mount and network namespaces of its own (unshare -rmn), where the check mounts
// its files over /etc/nginx and its host names over /etc/hosts.
func privateMounts() bool {
	if noNamespaces {
		return false
	}
	nsOnce.Do(func() {
		if _, err := exec.LookPath("unshare"); err != nil {
			return
		}
		nsOK = exec.Command("unshare", "-rmn", "true").Run() == nil
	})
	return nsOK
}

// levelLine matches the lines nginx -t logs at warn level or above.
var levelLine = regexp.MustCompile(`\[(warn|error|crit|alert|emerg)\] [0-9#]+: (.*)`)

// nginxRun runs nginx -t on tree and returns whether nginx accepted it and
// its warnings and errors, with file names as nginx knows them.
func nginxRun(t testing.TB, tree NginxTree) (bool, []string, string) {
	t.Helper()
	nginx := find(t, "/usr/sbin/nginx", "nginx")
	dir := t.TempDir()
	etc := filepath.Join(dir, "etc-nginx")
	if err := copySupport("/etc/nginx", etc); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for p, src := range tree.Files {
		if rel, ok := strings.CutPrefix(filepath.Clean(p), "/etc/nginx/"); ok {
			files[rel] = src
		}
	}
	if _, ok := files["nginx.conf"]; !ok {
		switch tree.Host {
		case "official":
			files["nginx.conf"] = []byte(OfficialNginxConf)
		case "debian":
			files["nginx.conf"] = []byte(debianNginxConf)
		default:
			files["nginx.conf"] = []byte(minimalNginxConf)
		}
	}
	ns := privateMounts()
	for rel, src := range files {
		if !ns {
			// No private mounts: point the paths and names at the copy.
			src = []byte(strings.ReplaceAll(string(src), "/etc/nginx/", etc+"/"))
			src = serviceHost.ReplaceAll(src, []byte("${1}127.0.0.1${3}"))
		}
		p := filepath.Join(etc, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hosts := "127.0.0.1 localhost\n::1 localhost ip6-localhost\n"
	for _, h := range tree.Hosts {
		hosts += "127.0.0.1 " + h + "\n"
	}
	hostsFile := filepath.Join(dir, "hosts")
	if err := os.WriteFile(hostsFile, []byte(hosts), 0o644); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if ns {
		// A network namespace of its own too: nginx -t binds the listen
		// addresses, and port 80 is only open to root.
		script := `(ip link set lo up || ifconfig lo up) >/dev/null 2>&1; ` +
			`mount --bind "$1" /etc/nginx && mount --bind "$2" /etc/hosts && ` +
			`mount -t tmpfs tmpfs /var/log && mkdir -p /var/log/nginx && ` +
			`exec "$3" -t -p /etc/nginx/ -c /etc/nginx/nginx.conf -e stderr`
		cmd = exec.Command("unshare", "-rmn", "sh", "-c", script, "sh", etc, hostsFile, nginx)
	} else {
		cmd = exec.Command(nginx, "-t", "-p", etc+"/", "-c", filepath.Join(etc, "nginx.conf"), "-e", "stderr")
	}
	out, err := cmd.CombinedOutput()
	text := strings.ReplaceAll(string(out), etc+"/", "/etc/nginx/")
	var msgs []string
	for _, m := range levelLine.FindAllStringSubmatch(text, -1) {
		msgs = append(msgs, m[1]+": "+m[2])
	}
	return err == nil, msgs, text
}

// copySupport copies the files nginx's package puts beside nginx.conf
// (mime.types, proxy_params, uwsgi_params, snippets, enabled modules), not
// its configuration (nginx.conf, conf.d, sites-*), which the tree brings.
func copySupport(from, to string) error {
	if err := os.MkdirAll(filepath.Join(to, "conf.d"), 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return nil // no nginx package files: the tree alone
	}
	for _, e := range entries {
		name := e.Name()
		switch name {
		case "nginx.conf", "conf.d", "sites-enabled", "sites-available":
			continue
		}
		src := filepath.Join(from, name)
		if e.IsDir() {
			sub, err := os.ReadDir(src)
			if err != nil {
				continue
			}
			os.MkdirAll(filepath.Join(to, name), 0o755)
			for _, s := range sub {
				if target, err := os.Readlink(filepath.Join(src, s.Name())); err == nil {
					os.Symlink(target, filepath.Join(to, name, s.Name()))
				} else if b, err := os.ReadFile(filepath.Join(src, s.Name())); err == nil {
					os.WriteFile(filepath.Join(to, name, s.Name()), b, 0o644)
				}
			}
			continue
		}
		if b, err := os.ReadFile(src); err == nil {
			os.WriteFile(filepath.Join(to, name), b, 0o644)
		}
	}
	return nil
}

// NginxTreeTest fails t unless nginx -t accepts after, every file of one
// nginx loaded together as nginx loads them (so an upstream or log_format
// declared twice across files shows), with no warning or error that
// before, the same nginx ahead of a fix, does not have: nginx drops a
// misplaced keepalive with only a warning. A nil before checks after
// alone, warnings included.
func NginxTreeTest(t testing.TB, name string, before *NginxTree, after NginxTree) {
	t.Helper()
	known := map[string]bool{}
	if before != nil {
		ok, msgs, out := nginxRun(t, *before)
		if !ok {
			// A config nginx already rejects cannot be broken by a fix: it
			// is named, not failed.
			t.Logf("nginx -t rejects %s before any fix, so it is not checked after:\n%s", name, out)
			return
		}
		for _, m := range msgs {
			known[m] = true
		}
	}
	ok, msgs, out := nginxRun(t, after)
	var fresh []string
	for _, m := range msgs {
		if !known[m] {
			fresh = append(fresh, m)
		}
	}
	sort.Strings(fresh)
	switch {
	case !ok:
		t.Errorf("nginx -t rejects %s after the fix:\n%s", name, out)
	case len(fresh) > 0:
		t.Errorf("nginx -t warns about %s after the fix:\n%s", name, strings.Join(fresh, "\n"))
	}
}
