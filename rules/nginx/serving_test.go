package nginx

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// TestKeepaliveFixKeepsServing runs nginx for real, before and after
// HR401's fix of a bare proxy_pass, in front of a backend that answers
// with the Host header, HTTP version and path it got: the fixed nginx
// starts, answers with the same status and body (the same Host reaches the
// backend), and speaks HTTP/1.1 to it.
func TestKeepaliveFixKeepsServing(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("HEADROOM_REQUIRE_TOOLS") == "1" {
			t.Fatal("nginx not installed (HEADROOM_REQUIRE_TOOLS=1)")
		}
		t.Skip("nginx not installed")
	}
	versions := make(chan string, 64)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		versions <- r.Proto
		fmt.Fprintf(w, "host=%s path=%s\n", r.Host, r.URL.Path)
	}))
	defer backend.Close()
	port := backend.Listener.Addr().(*net.TCPAddr).Port
	front := freePort(t)
	conf := fmt.Sprintf(`events {}
http {
    server {
        listen 127.0.0.1:%d;

        location /api/ {
            proxy_pass http://localhost:%d/api/;
        }

        location / {
            proxy_pass http://localhost:%d;
            proxy_set_header X-Real-IP $remote_addr;
        }
    }
}
`, front, port, port)
	doc := parsers.NewDocument("nginx/nginx.conf", parsers.KindNginx, []byte(conf))
	f, err := stack.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	res := driver.Fix(stack.New([]*stack.File{f}), driver.Options{Rules: []*rules.Rule{UpstreamKeepalive}})
	if len(res.Changed) != 1 {
		t.Fatalf("the fix changed %d files, want 1", len(res.Changed))
	}
	fixed := string(res.Changed[0].Src)
	if !strings.Contains(fixed, "upstream ") {
		t.Fatalf("no upstream created:\n%s", fixed)
	}

	paths := []string{"/api/users", "/", "/admin/login"}
	before := serve(t, bin, conf, front, paths)
	drain(versions)
	after := serve(t, bin, fixed, front, paths)
	for i, p := range paths {
		if before[i] != after[i] {
			t.Errorf("GET %s: before the fix %q, after %q\nfixed config:\n%s", p, before[i], after[i], fixed)
		}
	}
	for _, v := range drain(versions) {
		if v != "HTTP/1.1" {
			t.Errorf("after the fix nginx spoke %s to the backend, want HTTP/1.1", v)
		}
	}
}

func drain(c chan string) []string {
	var out []string
	for {
		select {
		case v := <-c:
			out = append(out, v)
		default:
			return out
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serve starts nginx on conf (one process, in the foreground, everything
// under a temp folder), sends one GET per path and stops it; it returns
// "status body" per path.
func serve(t *testing.T, bin, conf string, port int, paths []string) []string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(file, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir+"/", "-c", file, "-e", filepath.Join(dir, "error.log"),
		"-g", "daemon off; master_process off; pid "+filepath.Join(dir, "nginx.pid")+"; error_log "+filepath.Join(dir, "error.log")+";")
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	client := &http.Client{Timeout: 3 * time.Second}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not start: %s\n%s\n%s", out, log, conf)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var got []string
	for _, p := range paths {
		resp, err := client.Get(base + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got = append(got, fmt.Sprintf("%d %s", resp.StatusCode, body))
	}
	return got
}
