package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// proc is a started process and a channel closed when it has exited.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// innerEnv names the plan file when the test binary runs as the first
// process of the private namespaces.
const innerEnv = "HEADROOM_E2E_INNER"

func TestMain(m *testing.M) {
	if p := os.Getenv(innerEnv); p != "" {
		os.Exit(inner(p))
	}
	os.Exit(m.Run())
}

// inner runs one plan: loopback up, names and nginx's directories private,
// server and nginx started, requests sent, processes stopped. It writes an
// outcome to plan.Out and returns 0 unless it could not write it.
func inner(planFile string) int {
	var pl plan
	b, err := os.ReadFile(planFile)
	if err == nil {
		err = json.Unmarshal(b, &pl)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e inner:", err)
		return 2
	}
	var out outcome
	var procs []*proc
	defer func() {
		stop(procs)
		b, _ := json.MarshalIndent(out, "", "  ")
		if err := os.WriteFile(pl.Out, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "e2e inner:", err)
		}
	}()
	fail := func(err error) int { out.Err = err.Error(); return 0 }

	if err := setupNamespace(pl); err != nil {
		return fail(err)
	}
	for i, sv := range pl.Servers {
		p, err := start(sv.Argv, sv.Dir, filepath.Join(pl.Work, fmt.Sprintf("server-%d.log", i)))
		if err != nil {
			return fail(fmt.Errorf("starting %s: %v", sv.Argv[0], err))
		}
		procs = append(procs, p)
	}

	nginxArgs := []string{"-p", filepath.Join(pl.Work, "nginx") + "/", "-e", filepath.Join(pl.Work, "nginx-error.log"),
		"-c", pl.NginxConf, "-g", pl.Directs}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t, err := exec.CommandContext(ctx, "/usr/sbin/nginx", append([]string{"-t"}, nginxArgs...)...).CombinedOutput()
	cancel()
	out.NginxTest = string(t)
	if err != nil {
		return fail(fmt.Errorf("nginx -t: %v", err))
	}
	ngx, err := start(append([]string{"/usr/sbin/nginx"}, nginxArgs...), pl.Work, filepath.Join(pl.Work, "nginx.log"))
	if err != nil {
		return fail(fmt.Errorf("starting nginx: %v", err))
	}
	procs = append(procs, ngx)

	// Ready when every server accepts connections and nginx answers with
	// anything but a gateway error.
	deadline := time.Now().Add(60 * time.Second)
	for _, sv := range pl.Servers {
		for {
			c, err := net.DialTimeout("tcp", "127.0.0.1:"+sv.Port, time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fail(fmt.Errorf("%s: nothing listens on port %s within 60s", sv.Argv[0], sv.Port))
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	base := fmt.Sprintf("http://127.0.0.1:%d", pl.Port)
	for {
		r := send(client, base, pl.Requests[0])
		if r.Err == "" && r.Status != 502 && r.Status != 503 && r.Status != 504 {
			break
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("no answer through nginx within 60s (last: %d %s)", r.Status, r.Err))
		}
		for _, p := range procs {
			if p.exited() {
				return fail(fmt.Errorf("%s exited", p.cmd.Path))
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	for _, rq := range pl.Requests {
		out.Results = append(out.Results, send(client, base, rq))
	}
	return 0
}

// setupNamespace brings up the private loopback, resolves the stack's
// service names to it and gives nginx private log and temp directories.
func setupNamespace(pl plan) error {
	if out, err := exec.Command("/usr/sbin/ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		return fmt.Errorf("ip link set lo up: %v: %s", err, out)
	}
	hosts := filepath.Join(pl.Work, "hosts")
	line := "127.0.0.1 localhost " + strings.Join(pl.Hosts, " ") + "\n::1 localhost\n"
	if err := os.WriteFile(hosts, []byte(line), 0o644); err != nil {
		return err
	}
	if err := syscall.Mount(hosts, "/etc/hosts", "", syscall.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind-mounting /etc/hosts: %v", err)
	}
	if pl.EtcNginx != "" {
		if err := syscall.Mount(pl.EtcNginx, "/etc/nginx", "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("bind-mounting /etc/nginx: %v", err)
		}
	}
	// Debian's nginx writes its temp files under /var/lib/nginx, the default
	// access log under /var/log/nginx and configurations name pid files in
	// /run: all private and empty here.
	for _, d := range []string{"/var/lib/nginx", "/var/log/nginx", "/run"} {
		if _, err := os.Stat(d); err != nil {
			continue
		}
		if err := syscall.Mount("tmpfs", d, "tmpfs", 0, "size=64m"); err != nil {
			return fmt.Errorf("mounting tmpfs on %s: %v", d, err)
		}
	}
	return os.MkdirAll(filepath.Join(pl.Work, "nginx"), 0o755)
}

func start(argv []string, dir, log string) (*proc, error) {
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	c := exec.Command(argv[0], argv[1:]...)
	c.Dir = dir
	c.Stdout, c.Stderr = f, f
	c.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + dir, "PYTHONPATH=" + dir,
		"PYTHONDONTWRITEBYTECODE=1", "LANG=C.UTF-8"}
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &proc{cmd: c, done: make(chan struct{})}
	go func() { c.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

// stop sends each process group SIGTERM, then SIGKILL after five seconds;
// whatever is left dies with the PID namespace when this process exits.
func stop(procs []*proc) {
	for _, p := range procs {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, p := range procs {
		select {
		case <-p.done:
		case <-time.After(time.Until(deadline)):
		}
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	}
}

func send(client *http.Client, base string, rq request) result {
	if rq.Method == "WS" {
		return websocket(strings.TrimPrefix(base, "http://"), rq)
	}
	req, err := http.NewRequest(rq.Method, base+rq.Path, strings.NewReader(rq.Body))
	if err != nil {
		return result{Err: err.Error()}
	}
	req.Host = rq.Host
	if rq.Body != "" {
		req.Header.Set("Content-Type", "text/plain")
	}
	resp, err := client.Do(req)
	if err != nil {
		return result{Err: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	r := result{Status: resp.StatusCode, Body: string(body)}
	if err != nil && !errors.Is(err, io.EOF) {
		r.Err = err.Error()
	}
	return r
}

// websocket sends a WebSocket handshake and reads the answer: for 101 the
// first message, otherwise the response body.
func websocket(addr string, rq request) result {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return result{Err: err.Error()}
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", rq.Path, rq.Host)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		return result{Err: err.Error()}
	}
	r := result{Status: resp.StatusCode}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		r.Body = string(body)
		return r
	}
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		r.Err = err.Error()
		return r
	}
	n := int(h[1] & 0x7f)
	if n == 126 {
		var l [2]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			r.Err = err.Error()
			return r
		}
		n = int(l[0])<<8 | int(l[1])
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(br, payload); err != nil {
		r.Err = err.Error()
	}
	r.Body = string(payload)
	return r
}
