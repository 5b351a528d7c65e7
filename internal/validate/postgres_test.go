package validate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
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

const (
	// holdMS is how long each request holds its PostgreSQL connection
	// (pg_sleep after a first query).
	holdMS = 200
	// pgMaxConnections is the test server's max_connections: above every
	// case's prediction, so no case is cut short by the limit.
	pgMaxConnections = 120
	pgBin            = "/usr/lib/postgresql/15/bin"
	pgWarmup         = 2 * time.Second
	pgWindow         = 5 * time.Second
	// connSlack is how far above the measured peak the prediction may be
	// where the load saturates the unit.
	connSlack = 0.10
)

// caseHoldMS are the cases that hold their connection longer than
// holdMS: 100 greenlets each holding one for 1 s are 100 req/s, which 2
// shared cores serve, so every greenlet can hold its connection at once
// (at 200 ms the same unit is bound by its CPU first).
var caseHoldMS = map[string]int{"gevent-2x50-psycogreen-age0-hold1000": 1000}

// gap is a case today's model gets wrong.
type gap struct {
	Reason string
	// MayAgree marks a gap that shows in some runs only: agreement is
	// then not reported as a stale entry.
	MayAgree bool
}

// closingBackend is why CONN_MAX_AGE 0 may show one backend more than the
// processes.
const closingBackend = "CONN_MAX_AGE 0 closes the connection at the end of each request, and the next request of the same " +
	"process opens a new one while the old backend is still exiting: pg_stat_activity (and max_connections) briefly counts " +
	"both, one more than the processes; the model counts one per process"

// knownModelGaps are the cases today's model gets wrong, each with the
// defect that explains it. The check still runs for them and prints the
// figures; it fails if a listed case agrees (remove it then, unless
// MayAgree) or an unlisted one disagrees.
var knownModelGaps = map[string]gap{
	"daphne-age0":          {Reason: closingBackend, MayAgree: true},
	"gevent-2x50-age0":     {Reason: closingBackend, MayAgree: true},
	"sync-2-age0":          {Reason: closingBackend, MayAgree: true},
	"sync-4-age0":          {Reason: closingBackend, MayAgree: true},
	"sync-8-age0":          {Reason: closingBackend, MayAgree: true},
	"uvicornworker-2-age0": {Reason: closingBackend, MayAgree: true},
}

// knownThroughputGaps are the cases whose throughput today's model gets
// wrong (outside 1 ± tolerance, or the range the report gives), each with
// the reason; the same rules as knownModelGaps. Two ASGI processes of
// Django 3.2 served 66 to 100% of their bound (one process busy 99% of the
// time, the other 53 to 84%): the report now gives them a range, down to
// one process's worth (report.UnevenAcceptMeasured).
var knownThroughputGaps = map[string]gap{}

// pgRow is one case: headroom's prediction and what PostgreSQL saw.
type pgRow struct {
	Name      string
	Opts      []string
	Predicted int // connections, from `headroom model --format json`
	InFlight  int // requests the unit serves at once, from `headroom report`
	// PredictedRPS is `headroom report`'s throughput, checked within
	// tolerance; LeastRPS what it says the throughput may fall to (0 when
	// it gives one figure).
	PredictedRPS, LeastRPS float64
	Clients                int
	Peak                   int // peak backends with the case's application_name
	// Busy is how busy its backends were (busyText).
	Busy string
	// HoldMS is how long each request holds its connection.
	HoldMS int
	// Cal is what was measured before the load (calibrate).
	Cal calibration
	// Retaken marks a case measured twice (its first throughput was
	// outside tolerance); the row is the second measurement.
	Retaken bool
	Res     loadgen.Result
}

// rpsAgrees is the throughput check: measured within tolerance of
// predicted, or of the range the report gives (LeastRPS to predicted).
func (r pgRow) rpsAgrees() bool {
	q := r.Res.RPS / r.PredictedRPS
	if r.LeastRPS > 0 {
		return r.Res.RPS >= r.LeastRPS*(1-tolerance) && q <= 1+tolerance
	}
	return q >= 1-tolerance && q <= 1+tolerance
}

// saturated says the load can hold every connection the model counts:
// enough clients, and as many requests in flight by the model's own
// bounds (a unit bound by its CPU first holds fewer connections than its
// greenlets could: the prediction is then a ceiling only).
func (r pgRow) saturated() bool { return r.Clients >= r.Predicted && r.InFlight >= r.Predicted }

// agrees is the connection check: measured <= predicted, and predicted
// within connSlack of the measurement where the load saturates the unit.
func (r pgRow) agrees() bool {
	if r.Peak > r.Predicted {
		return false
	}
	return !r.saturated() || float64(r.Predicted) <= float64(r.Peak)*(1+connSlack)
}

func TestConnectionsAgainstPostgres(t *testing.T) {
	if os.Getenv("HEADROOM_VALIDATE") != "1" {
		t.Skip("real-stack test: set HEADROOM_VALIDATE=1 (make validate-model-postgres) with Debian's postgresql, gunicorn, python3-django, python3-psycopg2, python3-gevent, python3-psycogreen and python3-uvicorn")
	}
	for _, mod := range []string{"django", "psycopg2", "gevent", "psycogreen", "uvicorn", "daphne"} {
		if out, err := exec.Command("/usr/bin/python3", "-I", "-c", "import "+mod).CombinedOutput(); err != nil {
			t.Fatalf("python3 module %s missing: %v\n%s (.ci/run installs it)", mod, err, out)
		}
	}
	testdata, configs := configurations(t, "../../testdata/validate/pg")
	tmp := t.TempDir()
	bin := buildHeadroom(t, tmp)
	pgEnv := startPostgres(t)
	versions := measuredVersions(t)
	load := loadAverage()

	var rows []pgRow
	only := os.Getenv("HEADROOM_VALIDATE_CASES") // a regexp of case names, to measure a few
	for _, config := range configs {
		if only != "" && !regexp.MustCompile(only).MatchString(filepath.Base(config)) {
			continue
		}
		name, root := stage(t, tmp, testdata, config)
		hold := holdMS
		if h, ok := caseHoldMS[name]; ok {
			hold = h
		}
		r := pgRow{Name: name, HoldMS: hold, Predicted: predictPostgres(t, bin, tmp, name)}
		argv, opts, port := webArgv(t, root)
		r.Opts = opts
		env := append(pgEnv, "PGAPPNAME="+name, "HOLD_MS="+strconv.Itoa(hold))
		srv := serveAt(t, root, argv, env, port)
		stopped := false
		t.Cleanup(func() { // also when a check below stops the test
			if !stopped {
				srv.stop()
			}
		})
		// headroom is given the times this stack takes, as a user gives
		// the ones an APM shows: a request's time end to end and its CPU
		// time, measured before the load (calibrate), and the time it
		// holds its connection.
		r.Cal = calibrate(t, srv)
		web := predictWeb(t, bin, tmp, name, "--request-ms", strconv.FormatFloat(r.Cal.RequestMS, 'f', -1, 64),
			"--db-ms", strconv.Itoa(hold), "--cpu-ms", strconv.FormatFloat(r.Cal.CPUMS, 'f', -1, 64))
		r.InFlight, r.PredictedRPS, r.LeastRPS = web.InFlight, *web.ThroughputRPS, web.leastRPS()
		// Enough clients to fill every slot the model counts, within the
		// server's limit.
		r.Clients = min(max(web.InFlight+web.InFlight/10+1, minClients), pgMaxConnections-10)
		r.Peak, r.Res, r.Busy = measurePostgresCase(t, srv, pgEnv, name, r.Clients)
		if _, known := knownThroughputGaps[name]; !known && !r.rpsAgrees() {
			// One retake for a throughput outside tolerance: other load on
			// a shared 2-core machine (CI's) can move one measurement past
			// it. A model that is wrong is wrong twice; the table marks
			// the retake and the log shows both.
			t.Logf("%s: %.1f req/s against %.1f predicted, outside 1 ± %.2f: measuring once more", name, r.Res.RPS, r.PredictedRPS, tolerance)
			r.Peak, r.Res, r.Busy = measurePostgresCase(t, srv, pgEnv, name, r.Clients)
			r.Retaken = true
		}
		srv.stop()
		stopped = true
		t.Logf("%s: %s: %.1f ms a request with one client, %.1f ms of CPU with 8; predicted %d connections (%d in flight), %d clients: peak %d backends, %s, %.1f req/s, %d errors",
			name, strings.Join(argv, " "), r.Cal.RequestMS, r.Cal.CPUMS, r.Predicted, r.InFlight, r.Clients, r.Peak, r.Busy, r.Res.RPS, r.Res.Errors)
		rows = append(rows, r)
	}
	table := pgMarkdown(rows)
	t.Logf("%d ms held per request, %s warm-up, %s measured, %d cores, load average %s at the start; %s:\n%s",
		holdMS, pgWarmup, pgWindow, runtime.NumCPU(), load, versions, table)

	for _, r := range rows {
		checkGap(t, knownModelGaps, r.Name, r.agrees(), fmt.Sprintf("headroom predicts %d PostgreSQL connections, measured peak %d (%d clients, saturated %v)",
			r.Predicted, r.Peak, r.Clients, r.saturated()))
		g, known := knownThroughputGaps[r.Name]
		switch {
		case !r.rpsAgrees() && !known:
			t.Errorf("%s: headroom report predicts %.1f req/s, measured %.1f: ratio %.2f outside 1 ± %.2f",
				r.Name, r.PredictedRPS, r.Res.RPS, r.Res.RPS/r.PredictedRPS, tolerance)
		case !r.rpsAgrees():
			t.Logf("%s: known throughput gap (predicted %.1f req/s, measured %.1f): %s", r.Name, r.PredictedRPS, r.Res.RPS, g.Reason)
		case known && !g.MayAgree:
			t.Errorf("%s: listed in knownThroughputGaps but the model now agrees (predicted %.1f req/s, measured %.1f): remove the entry", r.Name, r.PredictedRPS, r.Res.RPS)
		}
		if r.Res.Errors > 0 {
			t.Errorf("%s: %d requests failed (first: %s)", r.Name, r.Res.Errors, r.Res.FirstError)
		}
	}
	if *update {
		if only != "" {
			t.Fatal("not updating the README from the cases HEADROOM_VALIDATE_CASES picks")
		}
		if t.Failed() {
			t.Fatal("not updating the README from a failed run")
		}
		block := fmt.Sprintf("Measured on %s on a %d-core machine (load average %s at the start), %d ms held per request, %s warm-up, %s measured, %s:\n\n%s",
			time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), load, holdMS, pgWarmup, pgWindow, versions, table)
		replaceReadmeBlock(t, pgBeginMark, pgEndMark, block)
	}
}

const (
	pgBeginMark = "<!-- validate-model-postgres: begin -->"
	pgEndMark   = "<!-- validate-model-postgres: end -->"
)

// configurations is dir (absolute) and its configs/* folders, one per case.
func configurations(t *testing.T, dir string) (string, []string) {
	t.Helper()
	testdata, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	configs, err := filepath.Glob(filepath.Join(testdata, "configs", "*"))
	if err != nil || len(configs) == 0 {
		t.Fatalf("no configurations under %s/configs: %v", testdata, err)
	}
	return testdata, configs
}

// stage copies testdata's app, then the configuration's files beside it
// (CopyFS refuses to overwrite a file), into a folder of tmp named after
// the configuration.
func stage(t *testing.T, tmp, testdata, config string) (name, root string) {
	t.Helper()
	name = filepath.Base(config)
	root = filepath.Join(tmp, name)
	for _, from := range []string{filepath.Join(testdata, "app"), config} {
		if err := os.CopyFS(root, os.DirFS(from)); err != nil {
			t.Fatal(err)
		}
	}
	return name, root
}

func buildHeadroom(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "headroom")
	goTool := os.Getenv("GO")
	if goTool == "" {
		goTool = "go"
	}
	if out, err := runFor(5*time.Minute, "", goTool, "build", "-o", bin, "../../cmd/headroom"); err != nil {
		t.Fatalf("building headroom: %v\n%s", err, out)
	}
	return bin
}

// startPostgres runs Debian's PostgreSQL 15 in a scratch folder owned by
// the postgres user (initdb refuses root), listening on a unix socket only,
// and returns libpq's environment for it. t.Cleanup stops it and removes
// the folder.
func startPostgres(t *testing.T) []string {
	t.Helper()
	return startPostgresAt(t, "", freePort(t))
}

// startPostgresAt is startPostgres also listening on listen:port (a TCP
// address; "" for the unix socket only); libpq's environment still names
// the socket.
func startPostgresAt(t *testing.T, listen string, port int) []string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		t.Fatalf("Debian's postgresql 15 missing (%v): .ci/run installs it", err)
	}
	dir, err := os.MkdirTemp("", "headroom-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	asPG := func(args ...string) []string { return args }
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root and no postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		asPG = func(args ...string) []string { return append([]string{"runuser", "-u", "postgres", "--"}, args...) }
	}
	data, sock := filepath.Join(dir, "data"), dir
	run := func(args ...string) {
		t.Helper()
		argv := asPG(args...)
		if out, err := runFor(2*time.Minute, dir, argv[0], argv[1:]...); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
		}
	}
	run(filepath.Join(pgBin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
	opts := fmt.Sprintf("-c listen_addresses='%s' -k %s -p %d -c max_connections=%d -c fsync=off", listen, sock, port, pgMaxConnections)
	run(filepath.Join(pgBin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "postgres.log"), "-o", opts, "-w", "start")
	t.Cleanup(func() {
		argv := asPG(filepath.Join(pgBin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
		if out, err := runFor(time.Minute, dir, argv[0], argv[1:]...); err != nil {
			t.Logf("stopping PostgreSQL: %v\n%s", err, out)
		}
	})
	env := []string{"PGHOST=" + sock, "PGPORT=" + strconv.Itoa(port), "PGUSER=postgres"}
	cmd := exec.Command("/usr/bin/psql", "-X", "-q", "-d", "postgres", "-c", "CREATE DATABASE app")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("creating the database: %v\n%s", err, out)
	}
	return env
}

// freePort is a TCP port nothing listens on now (PostgreSQL names its
// unix socket after it).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// measuredVersions names the versions of what the cases ran.
func measuredVersions(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("/usr/bin/python3", "-I", "-c",
		"import asgiref, daphne, django, gunicorn, psycopg2, gevent, uvicorn; print(f'Django {django.get_version()}, asgiref {asgiref.__version__}, gunicorn {gunicorn.__version__}, psycopg2 {psycopg2.__version__.split()[0]}, gevent {gevent.__version__}, uvicorn {uvicorn.__version__}, daphne {daphne.__version__}')").CombinedOutput()
	if err != nil {
		t.Fatalf("reading versions: %v\n%s", err, out)
	}
	pg, err := exec.Command(filepath.Join(pgBin, "postgres"), "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("postgres --version: %v\n%s", err, pg)
	}
	return strings.TrimSpace(string(pg)) + ", " + strings.TrimSpace(string(out))
}

// modelJSON is the part of `headroom model --format json` the check reads.
type modelJSON struct {
	Deployments []struct {
		Budgets []struct {
			Resource string `json:"resource"`
			Terms    []struct {
				N int `json:"n"`
			} `json:"terms"`
		} `json:"budgets"`
	} `json:"deployments"`
}

// predictPostgres is the PostgreSQL connections `headroom model` counts for
// the stack.
func predictPostgres(t *testing.T, bin, dir, name string) int {
	t.Helper()
	n, budgets, out := postgresBudgets(t, bin, dir, name)
	if budgets != 1 || n <= 0 {
		t.Fatalf("headroom model on %s: want one PostgreSQL budget with connections, got %d budgets, %d connections\n%s", name, budgets, n, out)
	}
	return n
}

// postgresBudgets is the connections of every PostgreSQL budget of
// `headroom model --format json` on the stack, how many budgets there are,
// and the output.
func postgresBudgets(t *testing.T, bin, dir, name string) (n, budgets int, out []byte) {
	t.Helper()
	out, err := runFor(time.Minute, dir, bin, "model", "--format", "json", name)
	if err != nil {
		t.Fatalf("headroom model --format json %s: %v\n%s", name, err, out)
	}
	var m modelJSON
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("headroom model --format json: %v\n%s", err, out)
	}
	for _, d := range m.Deployments {
		for _, b := range d.Budgets {
			if b.Resource != "postgres" {
				continue
			}
			budgets++
			for _, term := range b.Terms {
				n += term.N
			}
		}
	}
	return n, budgets, out
}

// measurePostgresCase loads the served case while peak.py watches
// pg_stat_activity, and returns the peak backends named app, the load's
// result and how busy its backends were.
func measurePostgresCase(t *testing.T, srv *server, pgEnv []string, app string, clients int) (int, loadgen.Result, string) {
	t.Helper()
	url, logPath := srv.URL, srv.Log
	peak := exec.Command("/usr/bin/python3", "-I", peakScript(t), fmt.Sprint((pgWarmup + pgWindow).Seconds()))
	peak.Env = append([]string{"PATH=/usr/bin:/bin"}, pgEnv...)
	var peakOut strings.Builder
	peak.Stdout, peak.Stderr = &peakOut, &peakOut
	if err := peak.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgWarmup+pgWindow+time.Minute)
	res, err := loadgen.Run(ctx, loadgen.Config{URL: url, Concurrency: clients, Warmup: pgWarmup, Duration: pgWindow, Timeout: 30 * time.Second, NewConnections: true})
	cancel()
	werr := peak.Wait()
	if err != nil {
		t.Fatalf("load: %v\n%s", err, tail(logPath))
	}
	if werr != nil {
		t.Fatalf("peak.py: %v\n%s", werr, peakOut.String())
	}
	var peaks map[string]int
	if err := json.Unmarshal([]byte(peakOut.String()), &peaks); err != nil {
		t.Fatalf("peak.py: %v\n%s", err, peakOut.String())
	}
	return peaks[app], res, busyText(peaks, app)
}

// busyText is how many of app's backends peak.py found active on
// average, and each backend's share of the polls where there are a few:
// "1.52 active (by backend 0.95, 0.57)".
func busyText(peaks map[string]int, app string) string {
	n := peaks["samples"]
	if n == 0 {
		return "no polls"
	}
	out := fmt.Sprintf("%.2f active", float64(peaks["active:"+app])/float64(n))
	var by []float64
	for k, v := range peaks {
		if strings.HasPrefix(k, "active:"+app+":") {
			by = append(by, float64(v)/float64(n))
		}
	}
	if len(by) > 0 && len(by) <= 8 {
		sort.Sort(sort.Reverse(sort.Float64Slice(by)))
		parts := make([]string, len(by))
		for i, f := range by {
			parts[i] = fmt.Sprintf("%.2f", f)
		}
		out += " (by backend " + strings.Join(parts, ", ") + ")"
	}
	return out
}

// calibration is what was measured on a case before the load: the mean
// time of a request end to end with one client (no queue), and, with
// calCPUClients, the CPU time of the whole machine per request (the app, PostgreSQL's backend and the
// load generator share these cores, so all of it bounds the throughput).
type calibration struct {
	RequestMS, CPUMS float64
	Requests         int
}

const (
	calIdle   = 2 * time.Second
	calWarmup = time.Second
	// calCPUClients send the requests whose CPU time is counted.
	calCPUClients = 8
	calWindow     = 3 * time.Second
)

func calibrate(t *testing.T, srv *server) calibration {
	t.Helper()
	run := func(clients int, d time.Duration, warmup bool) loadgen.Result {
		ctx, cancel := context.WithTimeout(context.Background(), d+time.Minute)
		defer cancel()
		res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: clients, Duration: d, Timeout: 30 * time.Second, NewConnections: true})
		if err == nil && (res.Requests == 0 && !warmup || res.Errors > 0) {
			err = fmt.Errorf("%d requests, %d errors (first: %s)", res.Requests, res.Errors, res.FirstError)
		}
		if err != nil {
			t.Fatalf("calibration, %d clients: %v\n%s", clients, err, tail(srv.Log))
		}
		return res
	}
	// What the machine burns with the server idle (PostgreSQL's and the
	// server's own loops, the test itself) is not the requests' CPU.
	idleFrom := cpuBusy(t)
	time.Sleep(calIdle)
	idle := float64(cpuBusy(t)-idleFrom) / float64(calIdle)
	run(1, calWarmup, true)
	one := run(1, calWindow, false)
	// The CPU time is counted over more requests than one client sends
	// (3 in 3 s where a request holds its connection 1 s), and still
	// below what saturates any case.
	before := cpuBusy(t)
	res := run(calCPUClients, calWindow, false)
	busy := float64(cpuBusy(t)-before) - idle*float64(res.Window)
	round := func(ms float64) float64 { return math.Round(ms*10) / 10 }
	return calibration{
		RequestMS: round(float64(one.Mean) / float64(time.Millisecond)),
		CPUMS:     round(max(busy, 0) / float64(time.Millisecond) / float64(res.Requests)),
		Requests:  res.Requests,
	}
}

// cpuBusy is the CPU time all cores have spent outside idle and iowait
// since boot (/proc/stat's first line, in USER_HZ ticks of 10 ms).
func cpuBusy(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		t.Fatalf("/proc/stat: %q", line)
	}
	var ticks int64
	for i, v := range f[1:8] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("/proc/stat: %q", line)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

func peakScript(t *testing.T) string {
	p, err := filepath.Abs("../../testdata/validate/pg/peak.py")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// server is a gunicorn the test started.
type server struct {
	URL    string
	Log    string
	PID    int
	Exited <-chan struct{}
	stop   func()
}

// serve runs argv in root with env, gunicorn's bind handed over as fd 3 on
// a fresh 127.0.0.1 socket, and waits for its first answer. The caller
// stops it (its whole process group) with stop.
func serve(t *testing.T, root string, argv, env []string) *server {
	t.Helper()
	return serveAt(t, root, argv, env, 0)
}

// serveAt is serve for a server that binds 127.0.0.1:port itself (argv
// names the port: uvicorn and daphne), or, with port 0, is handed fd 3.
func serveAt(t *testing.T, root string, argv, env []string, port int) *server {
	t.Helper()
	var lnFile *os.File
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if port == 0 {
		ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		addr = ln.Addr().String()
		lnFile, err = ln.File()
		ln.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	logPath := filepath.Join(root, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = root
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + root, "PYTHONDONTWRITEBYTECODE=1"}, env...)
	if lnFile != nil {
		cmd.ExtraFiles = []*os.File{lnFile} // fd 3
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if lnFile != nil {
		lnFile.Close() // gunicorn holds the socket now: if it dies, connections are refused
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	srv := &server{URL: "http://" + addr + "/", Log: logPath, PID: cmd.Process.Pid, Exited: exited}
	srv.stop = func() { stop(t, srv.PID, exited); logFile.Close() }
	if err := ready(srv.URL, exited); err != nil {
		srv.stop()
		t.Fatalf("%s did not answer: %v\n%s", strings.Join(argv, " "), err, tail(logPath))
	}
	return srv
}

func pgMarkdown(rows []pgRow) string {
	var b strings.Builder
	b.WriteString("| configuration | command | held | request (one client), CPU (8 clients) | clients | predicted connections | measured peak | agrees | predicted req/s | measured req/s | within 25% | p50 | p99 |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|\n")
	verdict := func(ok bool, gaps map[string]gap, name string) string {
		if ok {
			return "yes"
		}
		if g, known := gaps[name]; known {
			return "no (known gap): " + g.Reason
		}
		return "no"
	}
	for _, r := range rows {
		name := r.Name
		if r.Retaken {
			name += " (measured twice)"
		}
		// The CPU time is counted in ticks of 10 ms over a few requests,
		// less the idle machine's: at 0 it is below what that resolves,
		// and the report is given 0 (the CPU not judged).
		cpu := fmt.Sprintf("%.1f ms", r.Cal.CPUMS)
		if r.Cal.CPUMS == 0 {
			cpu = "below resolution"
		}
		predicted := fmt.Sprintf("%.1f", r.PredictedRPS)
		if r.LeastRPS > 0 {
			predicted = fmt.Sprintf("%.1f to %.1f", r.LeastRPS, r.PredictedRPS)
		}
		fmt.Fprintf(&b, "| %s | `%s` | %d ms | %.0f ms, %s | %d | %d | %d | %s | %s | %.1f | %s | %s | %s |\n",
			name, strings.Join(r.Opts, " "), r.HoldMS, r.Cal.RequestMS, cpu, r.Clients, r.Predicted, r.Peak, verdict(r.agrees(), knownModelGaps, r.Name),
			predicted, r.Res.RPS, verdict(r.rpsAgrees(), knownThroughputGaps, r.Name), ms(r.Res.P50), ms(r.Res.P99))
	}
	return b.String()
}

// webArgv is the stack's one web command line as headroom's stack loader
// reads it, run by Debian's program: gunicorn handed the socket as fd 3
// (port 0), uvicorn (python3 -m uvicorn) or daphne with every host, port
// and bind option replaced by 127.0.0.1 and a free port. opts are the
// options as the Dockerfile writes them, bind and application left out.
func webArgv(t *testing.T, root string) (argv, opts []string, port int) {
	t.Helper()
	s, errs := stack.Load([]string{root}, stack.MaxFileSize)
	if len(errs) > 0 {
		t.Fatalf("loading %s: %v", root, errs)
	}
	var cmds []*stack.Command
	for _, c := range s.Commands {
		if stack.IsWeb(c) {
			cmds = append(cmds, c)
		}
	}
	if len(cmds) != 1 {
		t.Fatalf("%s: want one web command, found %d", root, len(cmds))
	}
	c := cmds[0]
	var binds map[string]bool
	switch c.Server.Program {
	case "gunicorn":
		argv, opts = gunicornArgv(t, root)
		return argv, opts, 0
	case "uvicorn":
		argv, binds = []string{"/usr/bin/python3", "-m", "uvicorn"}, map[string]bool{"--host": true, "--port": true, "--uds": true, "--fd": true}
	case "daphne":
		argv, binds = []string{"/usr/bin/daphne"}, map[string]bool{"-b": true, "--bind": true, "-p": true, "--port": true, "-u": true, "--unix-socket": true, "--fd": true}
	default:
		t.Fatalf("%s: no Debian program for %s", root, c.Server.Program)
	}
	words := c.Server.Argv.Words
	for i := c.Server.ProgramWord + 1; i < len(words); i++ {
		v := words[i].Value
		if strings.Contains(v, "$") {
			t.Fatalf("%s: the command line uses a shell variable (%s)", root, v)
		}
		if flag, _, _ := strings.Cut(v, "="); binds[flag] {
			if !strings.Contains(v, "=") {
				i++ // and its value
			}
			continue
		}
		argv = append(argv, v)
		if i != c.Server.AppWord {
			opts = append(opts, v)
		}
	}
	port = freePort(t)
	if c.Server.Program == "uvicorn" {
		return append(argv, "--host", "127.0.0.1", "--port", strconv.Itoa(port)), opts, port
	}
	return append(argv, "-b", "127.0.0.1", "-p", strconv.Itoa(port)), opts, port
}
