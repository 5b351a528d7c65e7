package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/internal/loadgen"
	"github.com/headroom-dev/headroom/stack"
)

var update = flag.Bool("update", false, "rewrite the README's Model check table from this run")

const (
	// requestMS is the time the view waits, and the mean request time
	// headroom is told (--request-ms).
	requestMS = 100
	warmup    = 2 * time.Second
	window    = 8 * time.Second
	// tolerance is how far measured/predicted may be from 1.
	tolerance = 0.25
	// Clients per request the server holds at once, and the fewest clients.
	clientsPerSlot = 2
	minClients     = 16
)

// report is the part of `headroom report --format json` the check reads.
type report struct {
	SchemaVersion int `json:"schema_version"`
	Assumptions   struct {
		RequestMS float64 `json:"request_ms"`
	} `json:"assumptions"`
	Deployments []struct {
		Root     string    `json:"root"`
		Services []service `json:"services"`
	} `json:"deployments"`
}

type service struct {
	Name          string   `json:"name"`
	Role          string   `json:"role"`
	Server        string   `json:"server"`
	WorkerClass   string   `json:"worker_class"`
	Processes     int      `json:"processes"`
	Threads       int      `json:"threads"`
	InFlight      int      `json:"in_flight"`
	ThroughputRPS *float64 `json:"throughput_rps"`
	Saturates     string   `json:"saturates"`
	Bounds        []struct {
		Resource string  `json:"resource"`
		LeastRPS float64 `json:"least_rps"`
	} `json:"bounds"`
}

// leastRPS is what the bound that saturates first may fall to (0 where
// the report gives one figure).
func (s service) leastRPS() float64 {
	for _, b := range s.Bounds {
		if b.Resource == s.Saturates {
			return b.LeastRPS
		}
	}
	return 0
}

// row is one configuration's prediction and one measurement of it.
type row struct {
	Name      string
	Web       service
	Argv      []string
	Opts      []string // the options as the Dockerfile writes them, bind left out
	Clients   int
	Processes int // worker processes gunicorn started
	// KeptAlive says each client kept its connection across requests;
	// otherwise each request had a connection of its own. Only the latter
	// is checked (see modes).
	KeptAlive bool
	Res       loadgen.Result
}

func (r row) ratio() float64 { return r.Res.RPS / *r.Web.ThroughputRPS }

func TestModelAgainstLoad(t *testing.T) {
	if os.Getenv("HEADROOM_VALIDATE") != "1" {
		t.Skip("load test: set HEADROOM_VALIDATE=1 (make validate-model) with Debian's gunicorn and python3-django installed")
	}
	if _, err := os.Stat("/usr/bin/gunicorn"); err != nil {
		t.Fatal("/usr/bin/gunicorn missing: install Debian's gunicorn and python3-django (.ci/run does)")
	}
	if out, err := exec.Command("/usr/bin/python3", "-I", "-c", "import django").CombinedOutput(); err != nil {
		t.Fatalf("python3-django missing: %v\n%s", err, out)
	}
	testdata, configs := configurations(t, "../../testdata/validate")
	tmp := t.TempDir()
	bin := buildHeadroom(t, tmp)
	load := loadAverage()

	var rows []row
	for _, config := range configs {
		// The app, then the configuration's files beside it (CopyFS
		// refuses to overwrite a file).
		name, root := stage(t, tmp, testdata, config)
		web := predict(t, bin, tmp, name)
		for _, r := range measure(t, root, web) {
			r.Name = name
			rows = append(rows, r)
			t.Logf("%s: %s: %s; %d clients, %s: %d requests in %s (%d errors, %d connections)",
				name, strings.Join(r.Argv, " "), describe(web), r.Clients, connections(r), r.Res.Requests, r.Res.Window, r.Res.Errors, r.Res.Connections)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].Web, rows[j].Web
		if (a.WorkerClass == "sync") != (b.WorkerClass == "sync") {
			return a.WorkerClass == "sync"
		}
		return a.InFlight < b.InFlight
	})
	table := markdown(rows)
	t.Logf("%d ms per request, %s warm-up, %s measured, %d cores, load average %s at the start:\n%s",
		requestMS, warmup, window, runtime.NumCPU(), load, table)

	for _, r := range rows {
		if q := r.ratio(); !r.KeptAlive && (q < 1-tolerance || q > 1+tolerance) {
			t.Errorf("%s: measured %.1f req/s, predicted %.1f: ratio %.2f outside 1 ± %.2f", r.Name, r.Res.RPS, *r.Web.ThroughputRPS, q, tolerance)
		}
		if r.Res.Errors > 0 {
			t.Errorf("%s: %d requests failed (first: %s)", r.Name, r.Res.Errors, r.Res.FirstError)
		}
		if r.Processes != r.Web.Processes {
			t.Errorf("%s: headroom reads %d processes, gunicorn started %d", r.Name, r.Web.Processes, r.Processes)
		}
		if r.Web.Saturates != "workers" {
			t.Errorf("%s: headroom says %q saturates first; a view that only waits saturates the workers", r.Name, r.Web.Saturates)
		}
	}
	if *update {
		if t.Failed() {
			t.Fatal("not updating the README from a failed run")
		}
		updateReadme(t, table, load)
	}
}

func describe(s service) string {
	return fmt.Sprintf("headroom: %s %s, %d x %d in flight, %.1f req/s, %s saturate", s.Server, s.WorkerClass, s.Processes, s.Threads, *s.ThroughputRPS, s.Saturates)
}

// predict runs `headroom report --format json --request-ms requestMS` on
// the stack and returns its web service.
func predict(t *testing.T, bin, dir, name string) service {
	t.Helper()
	return predictWeb(t, bin, dir, name, "--request-ms", strconv.Itoa(requestMS))
}

// predictWeb runs `headroom report --format json` with the given
// assumptions (--request-ms N, --db-ms N ...) on the stack and returns its
// one web service.
func predictWeb(t *testing.T, bin, dir, name string, assumptions ...string) service {
	t.Helper()
	args := append(append([]string{"report", "--format", "json"}, assumptions...), name)
	out, err := runFor(time.Minute, dir, bin, args...)
	if err != nil {
		if strings.Contains(string(out), `unknown command "report"`) {
			t.Fatalf("this headroom has no `report` command: the model check compares `headroom report --format json` with a load test, so it needs the report (issue 16)\n%s", out)
		}
		t.Fatalf("headroom %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("headroom report --format json: %v\n%s", err, out)
	}
	for i, a := range assumptions {
		if a == "--request-ms" && i+1 < len(assumptions) && strconv.FormatFloat(rep.Assumptions.RequestMS, 'f', -1, 64) != assumptions[i+1] {
			t.Fatalf("headroom report: assumptions.request_ms %v, asked for %s", rep.Assumptions.RequestMS, assumptions[i+1])
		}
	}
	switch {
	case rep.SchemaVersion != 1:
		t.Fatalf("headroom report: schema_version %d, the check reads version 1", rep.SchemaVersion)
	case len(rep.Deployments) == 0:
		t.Fatalf("headroom report on %s: no deployment\n%s", name, out)
	}
	var webs []service
	for _, s := range rep.Deployments[0].Services {
		if s.Role == "web" {
			webs = append(webs, s)
		}
	}
	if len(webs) != 1 || webs[0].ThroughputRPS == nil || *webs[0].ThroughputRPS <= 0 || webs[0].InFlight <= 0 {
		t.Fatalf("headroom report on %s: want one web service with a throughput and requests in flight, got %+v\n%s", name, webs, out)
	}
	return webs[0]
}

// modes are the connection patterns each configuration is loaded with. A
// new connection per request is how nginx's proxy_pass reaches gunicorn by
// default (HTTP/1.0, no upstream keepalive), and the only pattern gunicorn's
// sync worker serves (it closes every connection): the model is checked
// against it. A gthread worker keeps connections open, and each kept-alive
// connection stays with the process that accepted it, which takes any
// connection whether or not one of its threads is free; so clients that
// keep their connections (a load balancer, nginx with upstream keepalive)
// may leave one process's threads idle while another's requests queue.
// That pattern is measured and shown for gthread but not checked: how far
// it falls below the model depends on how the connections happened to
// spread.
func modes(web service) []bool {
	if web.WorkerClass == "gthread" {
		return []bool{false, true}
	}
	return []bool{false}
}

// measure runs the stack's gunicorn command line and loads it in each mode.
func measure(t *testing.T, root string, web service) []row {
	t.Helper()
	argv, opts := gunicornArgv(t, root)
	srv := serve(t, root, argv, []string{"REQUEST_MS=" + strconv.Itoa(requestMS)})
	defer srv.stop()
	url, logPath := srv.URL, srv.Log
	clients := max(clientsPerSlot*web.InFlight, minClients)
	var rows []row
	for _, keep := range modes(web) {
		ctx, cancel := context.WithTimeout(context.Background(), warmup+window+time.Minute)
		res, err := loadgen.Run(ctx, loadgen.Config{URL: url, Concurrency: clients, Warmup: warmup, Duration: window, Timeout: 30 * time.Second, NewConnections: !keep})
		cancel()
		if err != nil {
			t.Fatalf("load: %v\n%s", err, tail(logPath))
		}
		select {
		case <-srv.Exited:
			t.Fatalf("gunicorn exited during the load test\n%s", tail(logPath))
		default:
		}
		rows = append(rows, row{Web: web, Argv: argv, Opts: opts, Clients: clients, Processes: children(srv.PID), KeptAlive: keep, Res: res})
	}
	return rows
}

func connections(r row) string {
	if r.KeptAlive {
		return "kept alive (not checked)"
	}
	return "one per request"
}

// gunicornArgv is the stack's one gunicorn web command line as headroom's
// stack loader reads it, with Debian's gunicorn as the program and every
// bind replaced by the socket the test hands over as fd 3; and its options
// without the application module and the bind.
func gunicornArgv(t *testing.T, root string) (argv, opts []string) {
	t.Helper()
	c := oneCommand(t, root, "gunicorn web", func(c *stack.Command) bool { return stack.IsWeb(c) && c.Server.Program == "gunicorn" })
	argv = []string{"/usr/bin/gunicorn"}
	words := c.Server.Argv.Words
	for i := c.Server.ProgramWord + 1; i < len(words); i++ {
		v := words[i].Value
		if strings.Contains(v, "$") {
			t.Fatalf("%s: the command line uses a shell variable (%s)", root, v)
		}
		switch {
		case v == "-b" || v == "--bind":
			i++ // and its value
			continue
		case strings.HasPrefix(v, "--bind=") || (strings.HasPrefix(v, "-b") && !strings.HasPrefix(v, "--")):
			continue
		}
		argv = append(argv, v)
		if i != c.Server.AppWord {
			opts = append(opts, v)
		}
	}
	return append(argv, "--bind", "fd://3"), opts
}

// oneCommand is the stack's one command that match accepts, as headroom's
// stack loader reads root; what names it in the failure.
func oneCommand(t *testing.T, root, what string, match func(*stack.Command) bool) *stack.Command {
	t.Helper()
	s, errs := stack.Load([]string{root}, stack.MaxFileSize)
	if len(errs) > 0 {
		t.Fatalf("loading %s: %v", root, errs)
	}
	var cmds []*stack.Command
	for _, c := range s.Commands {
		if match(c) {
			cmds = append(cmds, c)
		}
	}
	if len(cmds) != 1 {
		t.Fatalf("%s: want one %s command, found %d", root, what, len(cmds))
	}
	return cmds[0]
}

// ready waits for the first answer (the socket is listening from the
// start, so the request waits for a worker to boot).
func ready(url string, exited <-chan struct{}) error {
	deadline := time.Now().Add(60 * time.Second)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-exited:
			return fmt.Errorf("gunicorn exited")
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop ends gunicorn's process group: TERM (graceful), then KILL.
func stop(t *testing.T, pid int, exited <-chan struct{}) {
	syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Logf("gunicorn (pid %d) still running 10 s after TERM: killing its process group", pid)
		syscall.Kill(-pid, syscall.SIGKILL)
		<-exited
	}
	// Workers that outlived the master.
	syscall.Kill(-pid, syscall.SIGKILL)
}

// children counts the processes whose parent is pid (gunicorn's workers).
func children(pid int) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	n := 0
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			n++
		}
	}
	return n
}

func runFor(d time.Duration, dir, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// markdown is the table the README shows.
func markdown(rows []row) string {
	var b bytes.Buffer
	b.WriteString("| configuration | gunicorn | processes x threads | clients | connections | predicted req/s | measured req/s | measured / predicted | p50 | p99 |\n")
	b.WriteString("|---|---|---:|---:|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | `%s` | %d x %d | %d | %s | %.1f | %.1f | %.2f | %s | %s |\n",
			r.Name, strings.Join(r.Opts, " "), r.Web.Processes, r.Web.Threads, r.Clients, connections(r), *r.Web.ThroughputRPS, r.Res.RPS, r.ratio(), ms(r.Res.P50), ms(r.Res.P99))
	}
	return b.String()
}

const (
	beginMark = "<!-- validate-model: begin -->"
	endMark   = "<!-- validate-model: end -->"
)

// updateReadme replaces what lies between the README's markers with this
// run's table and conditions.
func updateReadme(t *testing.T, table, load string) {
	block := fmt.Sprintf("Measured on %s on a %d-core machine (load average %s at the start), %d ms per request, %s warm-up, %s measured per configuration:\n\n%s",
		time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), load, requestMS, warmup, window, table)
	replaceReadmeBlock(t, beginMark, endMark, block)
}

// replaceReadmeBlock replaces what lies between the README's begin and end
// markers with block.
func replaceReadmeBlock(t *testing.T, begin, end, block string) {
	t.Helper()
	path := "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %s ... %s block", begin, end)
	}
	s = s[:i] + begin + "\n" + block + s[j:]
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("README.md updated")
}
