package validate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/internal/loadgen"
)

const (
	// redisHoldMS is how long the hold view's one command (BLPOP on an
	// empty key) holds its connection.
	redisHoldMS = 200
	redisWarmup = 2 * time.Second
	redisWindow = 4 * time.Second
)

// redisCase is what a configuration of testdata/validate/redis must show
// besides the connection check.
type redisCase struct {
	// Clients loads the case; above the unit's concurrency so every slot
	// that can use the pool is busy.
	Clients int
	// Error is the redis-py error the app must log under load (its
	// message); "" means no request may fail.
	Error string
	// HR301 is what HR301's message must say about a busy pool; "" means
	// HR301 must not fire.
	HR301 string
	// MayFail allows failed requests without requiring them.
	MayFail bool
	// InFlight, where set, is the requests the unit must serve at once
	// (measured: req/s x the 200 ms each spends) for all the pool's cap.
	InFlight int
	// Over says the model's Redis budget must be exceeded (maxclients).
	Over bool
}

// redisCases are the configurations of testdata/validate/redis/configs;
// the test fails on a folder missing here or an entry without a folder.
var redisCases = map[string]redisCase{
	// max_connections 2 under 8 threads whose one command holds its
	// connection 200 ms: redis-py 4.3's ConnectionPool.make_connection
	// raises ConnectionError("Too many connections"), HR301's warning.
	"gthread-1x8-pool-2": {Clients: 12, Error: "redis.exceptions.ConnectionError: Too many connections", HR301: `redis-py raises "Too many connections"`},
	// BlockingConnectionPool: the third command waits (timeout 5 s, far
	// above the 8 x 200 ms queue), no request fails.
	"gthread-1x8-blocking-2": {Clients: 12, HR301: "a command waits up to 5 s"},
	// The same pool of 2 with the 200 ms spent between two quick commands:
	// a connection is held per command, not per request, so the 8 requests
	// in flight share 2 connections (about 40 req/s where the hold view
	// makes 10). Now and then three commands coincide and redis-py raises
	// "Too many connections" (4 of about 200 requests in one run), as
	// HR301 warns.
	"gthread-1x8-pool-2-between": {Clients: 12, HR301: `redis-py raises "Too many connections"`, MayFail: true, InFlight: 6},
	// No cap (redis-py 4.3: 2**31): one connection per thread in flight.
	"gthread-1x8-unset": {Clients: 12},
	"sync-4-unset":      {Clients: 8},
	"gevent-1x20-unset": {Clients: 26},
	// 2 x 8 threads against maxclients 10: the server refuses the 10th
	// client with "max number of clients reached" (the test's sampler holds
	// one), where the model's Redis budget (16 of 10) is exceeded.
	"gthread-2x8-maxclients-10": {Clients: 20, Error: "max number of clients reached", Over: true},
}

// redisRow is one case: headroom's prediction and what Redis saw.
type redisRow struct {
	Name      string
	Opts      []string
	Case      redisCase
	Predicted int // connections of the Redis budget
	Limit     int // its maxclients
	Over      bool
	HR301     string
	Peak      int // peak connected_clients, the sampler's own left out
	Rejected  int // rejected_connections
	Errors    []string
	Res       loadgen.Result
}

func (r redisRow) agrees() bool {
	if r.Case.Over {
		return r.Over
	}
	return r.Peak <= r.Predicted && float64(r.Predicted) <= float64(r.Peak)*(1+connSlack)
}

func TestConnectionsAgainstRedis(t *testing.T) {
	if os.Getenv("HEADROOM_VALIDATE") != "1" {
		t.Skip("real-stack test: set HEADROOM_VALIDATE=1 (make validate-model-redis) with Debian's redis-server, gunicorn, python3-django, python3-redis, python3-django-redis and python3-gevent")
	}
	for _, mod := range []string{"django", "redis", "django_redis", "gevent"} {
		if out, err := exec.Command("/usr/bin/python3", "-I", "-c", "import "+mod).CombinedOutput(); err != nil {
			t.Fatalf("python3 module %s missing: %v\n%s (.ci/run installs it)", mod, err, out)
		}
	}
	testdata, configs := configurations(t, "../../testdata/validate/redis")
	checkRedisCases(t, configs)
	tmp := t.TempDir()
	bin := buildHeadroom(t, tmp)
	versions := redisVersions(t)

	var rows []redisRow
	for _, config := range configs {
		name, root := stage(t, tmp, testdata, config)
		r := redisRow{Name: name, Case: redisCases[name]}
		r.Predicted, r.Limit, r.Over = predictRedis(t, bin, tmp, name)
		r.HR301 = lintRule(t, bin, tmp, name, "HR301")
		path, err := os.ReadFile(filepath.Join(root, "path"))
		if err != nil {
			t.Fatal(err)
		}
		argv, opts := gunicornArgv(t, root)
		r.Opts = opts
		r.Peak, r.Rejected, r.Errors, r.Res = loadRedisCase(t, tmp, root, argv, strings.TrimSpace(string(path)), r.Limit, r.Case.Clients)
		t.Logf("%s: %s: predicted %d of maxclients %d (over %v), %d clients: peak %d connections, %d rejected, %.1f req/s, %d errors %v",
			name, strings.Join(argv, " "), r.Predicted, r.Limit, r.Over, r.Case.Clients, r.Peak, r.Rejected, r.Res.RPS, r.Res.Errors, r.Errors)
		rows = append(rows, r)
	}
	table := redisMarkdown(rows)
	t.Logf("%s:\n%s", versions, table)

	for _, r := range rows {
		if !r.agrees() {
			t.Errorf("%s: headroom predicts %d Redis connections (maxclients %d, over %v), measured peak %d: want peak <= predicted <= peak + %.0f%%, or the budget over where the server refuses clients",
				r.Name, r.Predicted, r.Limit, r.Over, r.Peak, connSlack*100)
		}
		switch want := r.Case.Error; {
		case want == "" && !r.Case.MayFail && (r.Res.Errors > 0 || len(r.Errors) > 0):
			t.Errorf("%s: %d requests failed (first: %s; app: %v)", r.Name, r.Res.Errors, r.Res.FirstError, r.Errors)
		case want != "" && !anyContains(r.Errors, want):
			t.Errorf("%s: want redis-py's %q under load, the app logged %v (%d failed requests)", r.Name, want, r.Errors, r.Res.Errors)
		}
		if in := r.Res.RPS * redisHoldMS / 1000; r.Case.InFlight > 0 && in < float64(r.Case.InFlight) {
			t.Errorf("%s: %.1f req/s is %.1f requests in flight, want at least %d on %d connections: a connection is not held per command", r.Name, r.Res.RPS, in, r.Case.InFlight, r.Predicted)
		}
		switch want := r.Case.HR301; {
		case want == "" && r.HR301 != "":
			t.Errorf("%s: HR301 fires where the pool does not cap the concurrency: %s", r.Name, r.HR301)
		case want != "" && !strings.Contains(r.HR301, want):
			t.Errorf("%s: want HR301 to say %q, it says %q", r.Name, want, r.HR301)
		}
	}
	if *update {
		if t.Failed() {
			t.Fatal("not updating the README from a failed run")
		}
		block := fmt.Sprintf("Measured on %s, %d ms per held command, %s warm-up, %s measured, %s:\n\n%s",
			time.Now().UTC().Format("2006-01-02"), redisHoldMS, redisWarmup, redisWindow, versions, table)
		replaceReadmeBlock(t, redisBeginMark, redisEndMark, block)
	}
}

const (
	redisBeginMark = "<!-- validate-model-redis: begin -->"
	redisEndMark   = "<!-- validate-model-redis: end -->"
)

// checkRedisCases fails on a configuration folder without an entry in
// redisCases or an entry without a folder.
func checkRedisCases(t *testing.T, configs []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range configs {
		name := filepath.Base(c)
		seen[name] = true
		if _, ok := redisCases[name]; !ok {
			t.Errorf("testdata/validate/redis/configs/%s has no entry in redisCases", name)
		}
	}
	for name := range redisCases {
		if !seen[name] {
			t.Errorf("redisCases names %s, which has no folder in testdata/validate/redis/configs", name)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

func anyContains(list []string, s string) bool {
	for _, l := range list {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// redisVersions names the versions of what the cases ran.
func redisVersions(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("/usr/bin/python3", "-I", "-c",
		"import django, gunicorn, redis, django_redis, gevent; print(f'Django {django.get_version()}, gunicorn {gunicorn.__version__}, redis-py {redis.__version__}, django-redis {django_redis.__version__}, gevent {gevent.__version__}')").CombinedOutput()
	if err != nil {
		t.Fatalf("reading versions: %v\n%s", err, out)
	}
	srv, err := exec.Command("/usr/bin/redis-server", "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("redis-server --version: %v\n%s", err, srv)
	}
	v := regexp.MustCompile(`v=(\S+)`).FindSubmatch(srv)
	if v == nil {
		t.Fatalf("redis-server --version: %s", srv)
	}
	return "Redis " + string(v[1]) + ", " + strings.TrimSpace(string(out))
}

// predictRedis is the one Redis budget of `headroom model --format json`.
func predictRedis(t *testing.T, bin, dir, name string) (used, limit int, over bool) {
	t.Helper()
	out, err := runFor(time.Minute, dir, bin, "model", "--format", "json", name)
	if err != nil {
		t.Fatalf("headroom model --format json %s: %v\n%s", name, err, out)
	}
	var m struct {
		Deployments []struct {
			Budgets []struct {
				Resource string `json:"resource"`
				Used     int    `json:"used"`
				Limit    int    `json:"limit"`
				Over     bool   `json:"over"`
			} `json:"budgets"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("headroom model --format json: %v\n%s", err, out)
	}
	budgets := 0
	for _, d := range m.Deployments {
		for _, b := range d.Budgets {
			if b.Resource == "redis" {
				budgets++
				used, limit, over = b.Used, b.Limit, b.Over
			}
		}
	}
	if budgets != 1 || used <= 0 || limit <= 0 {
		t.Fatalf("headroom model on %s: want one Redis budget with connections and a limit, got %d budgets\n%s", name, budgets, out)
	}
	return used, limit, over
}

// lintRule is the message of the one finding of rule in `headroom lint`'s
// text output ("" when none).
func lintRule(t *testing.T, bin, dir, name, rule string) string {
	t.Helper()
	out, _ := runFor(time.Minute, dir, bin, "lint", name) // exit 1 with findings
	var msgs []string
	for _, line := range strings.Split(string(out), "\n") {
		if _, msg, ok := strings.Cut(line, " "+rule+" "); ok {
			msgs = append(msgs, msg)
		}
	}
	if len(msgs) > 1 {
		t.Fatalf("headroom lint %s: %d %s findings, want at most one\n%s", name, len(msgs), rule, out)
	}
	return strings.Join(msgs, "")
}

// startRedis runs Debian's redis-server on a free 127.0.0.1 port with
// maxclients, no persistence, in a scratch folder; t.Cleanup stops it.
func startRedis(t *testing.T, dir string, maxclients int) string {
	t.Helper()
	return startRedisOn(t, dir, freePort(t), maxclients)
}

// startRedisOn is startRedis on 127.0.0.1:port.
func startRedisOn(t *testing.T, dir string, port, maxclients int) string {
	t.Helper()
	cmd := exec.Command("/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--maxclients", strconv.Itoa(maxclients), "--save", "", "--appendonly", "no", "--dir", dir,
		"--logfile", filepath.Join(dir, "redis.log"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() { stop(t, cmd.Process.Pid, exited) })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(20 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not listen on %s\n%s", addr, tail(filepath.Join(dir, "redis.log")))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// redisInfo sends INFO on c and returns its fields.
func redisInfo(c net.Conn, r *bufio.Reader) (map[string]string, error) {
	if _, err := c.Write([]byte("INFO\r\n")); err != nil {
		return nil, err
	}
	head, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(head, "$") {
		return nil, fmt.Errorf("INFO: %q", head)
	}
	n, err := strconv.Atoi(strings.TrimSpace(head[1:]))
	if err != nil {
		return nil, err
	}
	body := make([]byte, n+2)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(body), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[k] = v
		}
	}
	return fields, nil
}

// loadRedisCase starts Redis and the case's gunicorn, loads path while
// sampling INFO every 10 ms, and returns the peak connected clients (the
// sampler's own left out), the rejected connections, the redis-py errors
// the app logged and the load's result.
func loadRedisCase(t *testing.T, tmp, root string, argv []string, path string, maxclients, clients int) (int, int, []string, loadgen.Result) {
	t.Helper()
	dir := filepath.Join(tmp, filepath.Base(root)+"-redis")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	addr := startRedis(t, dir, maxclients)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rd := bufio.NewReader(c)
	if _, err := redisInfo(c, rd); err != nil {
		t.Fatalf("INFO: %v", err)
	}
	env := []string{"REDIS_URL=redis://" + addr + "/1", "HOLD_MS=" + strconv.Itoa(redisHoldMS), "DJANGO_SETTINGS_MODULE=validate.runtime"}
	srv := serve(t, root, argv, env)
	defer srv.stop()

	var (
		mu      sync.Mutex
		peak    int
		infoErr error
		fields  map[string]string
	)
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			f, err := redisInfo(c, rd)
			mu.Lock()
			if err != nil {
				infoErr = err
				mu.Unlock()
				return
			}
			fields = f
			if n, err := strconv.Atoi(f["connected_clients"]); err == nil && n-1 > peak {
				peak = n - 1
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), redisWarmup+redisWindow+time.Minute)
	res, err := loadgen.Run(ctx, loadgen.Config{URL: strings.TrimSuffix(srv.URL, "/") + path, Concurrency: clients, Warmup: redisWarmup, Duration: redisWindow, Timeout: 30 * time.Second, NewConnections: true})
	cancel()
	close(done)
	<-sampled
	if err != nil {
		t.Fatalf("load: %v\n%s", err, tail(srv.Log))
	}
	if infoErr != nil {
		t.Fatalf("sampling INFO: %v", infoErr)
	}
	rejected, _ := strconv.Atoi(fields["rejected_connections"])
	log, err := os.ReadFile(srv.Log)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var errs []string
	for _, line := range strings.Split(string(log), "\n") {
		if _, e, ok := strings.Cut(line, "redis-error "); ok && !seen[e] {
			seen[e] = true
			errs = append(errs, e)
		}
	}
	return peak, rejected, errs, res
}

func redisMarkdown(rows []redisRow) string {
	var b strings.Builder
	b.WriteString("| configuration | gunicorn | clients | predicted connections (maxclients) | measured peak | rejected | agrees | redis-py error under load | HR301 says | req/s | p99 |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---|---|---|---:|---:|\n")
	for _, r := range rows {
		verdict := "yes"
		if !r.agrees() {
			verdict = "no"
		}
		if r.Over {
			verdict += " (budget over)"
		}
		errs := "none"
		if len(r.Errors) > 0 {
			errs = strings.Join(r.Errors, "; ")
		}
		hr := "nothing"
		if r.Case.HR301 != "" {
			hr = r.Case.HR301
		}
		fmt.Fprintf(&b, "| %s | `%s` | %d | %d (%d) | %d | %d | %s | %s | %s | %.1f | %s |\n",
			r.Name, strings.Join(r.Opts, " "), r.Case.Clients, r.Predicted, r.Limit, r.Peak, r.Rejected, verdict, errs, hr, r.Res.RPS, ms(r.Res.P99))
	}
	return b.String()
}
