package validate

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/stack"
)

const (
	// celeryHoldMS is how long each task holds its PostgreSQL connection
	// (pg_sleep after a first query).
	celeryHoldMS = 200
	// celeryTasksPerSlot is the tasks enqueued per slot of the worker
	// (concurrency), so every slot stays busy while the peak is sampled.
	celeryTasksPerSlot = 3
	// celeryWindow is how long pg_stat_activity is sampled after the
	// tasks are enqueued.
	celeryWindow = 4 * time.Second
)

// celeryGaps are the Celery cases today's model gets wrong, each with the
// reason; the check prints their figures and fails if a listed case
// agrees (unless MayAgree) or an unlisted one disagrees.
var celeryGaps = map[string]gap{
	"prefork-4-age0": {Reason: "CONN_MAX_AGE 0 closes the connection after each task, and the next task of the same child opens a new one " +
		"while the old backend is still exiting: pg_stat_activity briefly counts both, one more than the children; the model counts one per child", MayAgree: true},
	// Measured 119 (every slot, tasks failing at the limit) in one run and
	// 51 with a load average of 7 in the next.
	"gevent-100-psycogreen-age600": {Reason: "the connections leak as the model says (at least 100, growing), but on 2 shared cores " +
		"fewer than the 100 greenlets may be in the database at once, as in gevent-100-psycogreen-age0", MayAgree: true},
	// Measured 74 with a load average of 6.7.
	"gevent-100-psycogreen-age0": {Reason: "with psycogreen's wait callback each greenlet holds a connection of its own, but on 2 shared cores " +
		"fewer than the 100 greenlets were in the database at once: the task's Python time (Celery's bookkeeping, Django's cursor) caps the " +
		"greenlets in flight; to be measured again on an idle machine", MayAgree: true},
}

// checkGap fails the test where a case disagrees and gaps does not list
// it, or gaps lists it (without MayAgree) and it agrees; figures says what
// was predicted and measured.
func checkGap(t *testing.T, gaps map[string]gap, name string, agrees bool, figures string) {
	t.Helper()
	g, known := gaps[name]
	switch {
	case !agrees && !known:
		t.Errorf("%s: %s: want peak <= predicted <= peak + %.0f%%", name, figures, connSlack*100)
	case !agrees:
		t.Logf("%s: known model gap (%s): %s", name, figures, g.Reason)
	case known && !g.MayAgree:
		t.Errorf("%s: listed as a known model gap but the model now agrees (%s): remove the entry", name, figures)
	}
}

// celeryRow is one case: headroom's prediction for the worker and what
// PostgreSQL saw.
type celeryRow struct {
	Name        string
	Opts        []string
	Concurrency int
	Tasks       int
	Predicted   int
	Peak        int
	// Leak is the model's reason for the connections to grow with the
	// tasks served (CONN_MAX_AGE > 0 under gevent): Predicted is then a
	// floor, not a bound.
	Leak string
	// AtLimit says the worker's connections reached max_connections: a
	// task failed with PostgreSQL's "too many clients" (or "remaining
	// connection slots are reserved"), the error the model says a leak
	// ends in.
	AtLimit bool
}

// agrees is the connection check of pgRow: every task slot is busy (the
// tasks outnumber the slots), so the unit is saturated. Where the model
// says the connections leak, the prediction is a floor the measured peak
// must reach.
func (r celeryRow) agrees() bool {
	if r.Leak != "" {
		return r.Peak >= r.Predicted
	}
	return pgRow{Predicted: r.Predicted, Peak: r.Peak, Clients: r.Tasks, InFlight: r.Concurrency}.agrees()
}

func TestConnectionsAgainstCelery(t *testing.T) {
	if os.Getenv("HEADROOM_VALIDATE") != "1" {
		t.Skip("real-stack test: set HEADROOM_VALIDATE=1 (make validate-model-celery) with Debian's postgresql, redis-server, python3-celery, python3-django, python3-psycopg2, python3-gevent and python3-psycogreen")
	}
	for _, mod := range []string{"django", "celery", "redis", "psycopg2", "gevent", "psycogreen"} {
		if out, err := exec.Command("/usr/bin/python3", "-I", "-c", "import "+mod).CombinedOutput(); err != nil {
			t.Fatalf("python3 module %s missing: %v\n%s (.ci/run installs it)", mod, err, out)
		}
	}
	testdata, configs := configurations(t, "../../testdata/validate/celery")
	tmp := t.TempDir()
	bin := buildHeadroom(t, tmp)
	pgEnv := startPostgres(t)
	redis := startRedis(t, tmp, 1000)
	if len(configs) > 16 {
		t.Fatalf("%d configurations: each has a Redis database of its own, and Redis has 16", len(configs))
	}
	versions := celeryVersions(t)
	load := loadAverage()

	var rows []celeryRow
	for i, config := range configs {
		name, root := stage(t, tmp, testdata, config)
		// A broker database per case: the tasks a killed worker left
		// queued stay with its case.
		broker := fmt.Sprintf("redis://%s/%d", redis, i)
		argv, opts, conc := celeryArgv(t, root)
		r := celeryRow{Name: name, Opts: opts, Concurrency: conc, Tasks: celeryTasksPerSlot * conc}
		env := append([]string{"PGAPPNAME=" + name, "CELERY_BROKER_URL=" + broker}, pgEnv...)
		if mode, size, ok := pgbouncerOf(t, root); ok {
			// The settings' HOST and PORT, read from the environment, point
			// at the PgBouncer the test runs as the compose file configures
			// it; the model counts PgBouncer's server connections in the
			// PostgreSQL budget behind it.
			r.Opts = append(r.Opts, fmt.Sprintf("(PgBouncer pool_mode=%s default_pool_size=%d)", mode, size))
			env = append(env, "DB_HOST=127.0.0.1", "DB_PORT="+strconv.Itoa(startPgBouncer(t, pgEnv, mode, size)))
			r.Predicted, _, _ = postgresBudgets(t, bin, tmp, name)
		} else {
			r.Predicted = predictPostgres(t, bin, tmp, name)
		}
		r.Leak = predictedLeak(t, bin, tmp, name)
		r.Peak, r.AtLimit = loadCeleryCase(t, root, argv, env, pgEnv, name, r.Tasks, r.Leak != "")
		t.Logf("%s: %s: predicted %d connections, %d tasks of %d ms: peak %d backends",
			name, strings.Join(argv, " "), r.Predicted, r.Tasks, celeryHoldMS, r.Peak)
		rows = append(rows, r)
	}
	table := celeryMarkdown(rows)
	t.Logf("%d ms held per task, %s sampled, %d cores, load average %s at the start; %s:\n%s",
		celeryHoldMS, celeryWindow, runtime.NumCPU(), load, versions, table)
	for _, r := range rows {
		checkGap(t, celeryGaps, r.Name, r.agrees(), fmt.Sprintf("headroom predicts %d PostgreSQL connections for the worker, measured peak %d (%d tasks on %d slots)",
			r.Predicted, r.Peak, r.Tasks, r.Concurrency))
	}
	if *update {
		if t.Failed() {
			t.Fatal("not updating the README from a failed run")
		}
		block := fmt.Sprintf("Measured on %s on a %d-core machine (load average %s at the start), %d ms held per task, %d tasks per slot enqueued at once, %s sampled, %s:\n\n%s",
			time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), load, celeryHoldMS, celeryTasksPerSlot, celeryWindow, versions, table)
		replaceReadmeBlock(t, celeryBeginMark, celeryEndMark, block)
	}
}

const (
	celeryBeginMark = "<!-- validate-model-celery: begin -->"
	celeryEndMark   = "<!-- validate-model-celery: end -->"
)

var (
	pgbouncerMode = regexp.MustCompile(`(?m)^\s*POOL_MODE:\s*"?(\w+)"?\s*$`)
	pgbouncerSize = regexp.MustCompile(`(?m)^\s*DEFAULT_POOL_SIZE:\s*"?(\d+)"?\s*$`)
)

// pgbouncerOf reads the pool mode and size of the PgBouncer service the
// case's compose file runs (edoburu/pgbouncer's POOL_MODE and
// DEFAULT_POOL_SIZE); ok is false where it runs none.
func pgbouncerOf(t *testing.T, root string) (mode string, size int, ok bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "docker-compose.yml"))
	if err != nil || !strings.Contains(string(b), "pgbouncer") {
		return "", 0, false
	}
	m, n := pgbouncerMode.FindSubmatch(b), pgbouncerSize.FindSubmatch(b)
	if m == nil || n == nil {
		t.Fatalf("%s: a pgbouncer service without POOL_MODE and DEFAULT_POOL_SIZE", root)
	}
	size, _ = strconv.Atoi(string(n[1]))
	return string(m[1]), size, true
}

// startPgBouncer runs Debian's pgbouncer on a free 127.0.0.1 port in front
// of the test's PostgreSQL (database app, trust), as the postgres user when
// root (pgbouncer refuses root), and returns its port; t.Cleanup stops it.
func startPgBouncer(t *testing.T, pgEnv []string, mode string, size int) int {
	t.Helper()
	// Outside tmp (t.TempDir is private to root): the postgres user reads
	// the configuration.
	dir, err := os.MkdirTemp("", "headroom-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	env := map[string]string{}
	for _, kv := range pgEnv {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	port := freePort(t)
	ini := fmt.Sprintf(`[databases]
app = host=%s port=%s dbname=app user=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = %s
default_pool_size = %d
max_client_conn = 200
logfile = %s
pidfile = %s
`, env["PGHOST"], env["PGPORT"], env["PGUSER"], port, filepath.Join(dir, "users.txt"), mode, size,
		filepath.Join(dir, "pgbouncer.log"), filepath.Join(dir, "pgbouncer.pid"))
	for file, text := range map[string]string{"pgbouncer.ini": ini, "users.txt": fmt.Sprintf("%q \"\"\n", env["PGUSER"])} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	argv := []string{"/usr/sbin/pgbouncer", filepath.Join(dir, "pgbouncer.ini")}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root and no postgres user to run pgbouncer as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		argv = append([]string{"runuser", "-u", "postgres", "--"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() { stop(t, cmd.Process.Pid, exited) })
	for deadline := time.Now().Add(20 * time.Second); ; {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return port
		}
		select {
		case <-exited:
			t.Fatalf("pgbouncer exited\n%s", tail(filepath.Join(dir, "pgbouncer.log")))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("pgbouncer did not listen on port %d\n%s", port, tail(filepath.Join(dir, "pgbouncer.log")))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// celeryVersions names the versions the Celery cases ran.
func celeryVersions(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("/usr/bin/python3", "-I", "-c",
		"import django, celery, kombu, billiard, redis, psycopg2, gevent; print(f'Django {django.get_version()}, Celery {celery.__version__}, kombu {kombu.__version__}, billiard {billiard.__version__}, redis-py {redis.__version__}, psycopg2 {psycopg2.__version__.split()[0]}, gevent {gevent.__version__}')").CombinedOutput()
	if err != nil {
		t.Fatalf("reading versions: %v\n%s", err, out)
	}
	return toolVersions(t, pgVersionArgv, redisVersionArgv, []string{"/usr/sbin/pgbouncer", "--version"}) + ", " + strings.TrimSpace(string(out))
}

var (
	pgVersionArgv    = []string{filepath.Join(pgBin, "postgres"), "--version"}
	redisVersionArgv = []string{"/usr/bin/redis-server", "--version"}
)

// toolVersions is the first line of each --version, redis-server's
// shortened to its version.
func toolVersions(t *testing.T, argvs ...[]string) string {
	t.Helper()
	var tools []string
	for _, argv := range argvs {
		v, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, v)
		}
		s := strings.TrimSpace(string(v))
		if f := strings.Fields(s); argv[0] == "/usr/bin/redis-server" && len(f) > 2 {
			s = "redis-server " + strings.TrimPrefix(f[2], "v=")
		}
		s, _, _ = strings.Cut(s, "\n") // pgbouncer: its libraries follow
		tools = append(tools, s)
	}
	return strings.Join(tools, ", ")
}

// celeryArgv is the stack's one Celery worker command line as headroom's
// stack loader reads it, run as Debian's `python3 -m celery`; its options
// after `worker`; and its --concurrency.
func celeryArgv(t *testing.T, root string) (argv, opts []string, concurrency int) {
	t.Helper()
	c := oneCommand(t, root, "celery", func(c *stack.Command) bool { return c.Server != nil && c.Server.Program == "celery" })
	argv = []string{"/usr/bin/python3", "-m", "celery"}
	words := c.Server.Argv.Words
	worker := false
	for _, w := range words[c.Server.ProgramWord+1:] {
		v := w.Value
		if strings.Contains(v, "$") {
			t.Fatalf("%s: the command line uses a shell variable (%s)", root, v)
		}
		argv = append(argv, v)
		if worker {
			opts = append(opts, v)
		}
		worker = worker || v == "worker"
		if n, ok := strings.CutPrefix(v, "--concurrency="); ok {
			concurrency, _ = strconv.Atoi(n)
		}
	}
	if !worker || concurrency <= 0 {
		t.Fatalf("%s: want `celery ... worker --concurrency=N`, got %s", root, strings.Join(argv, " "))
	}
	return argv, opts, concurrency
}

// loadCeleryCase starts the worker, waits for it to be ready, enqueues
// tasks of celeryHoldMS while peak.py samples pg_stat_activity, and
// returns the peak backends named app. The worker (its whole process
// group) is killed at the end.
// With leak (the model says the connections grow until max_connections) a
// task failing at PostgreSQL's limit is the predicted outcome, reported as
// atLimit; any other failure fails the test.
func loadCeleryCase(t *testing.T, root string, argv, env, pgEnv []string, app string, tasks int, leak bool) (int, bool) {
	t.Helper()
	logPath := filepath.Join(root, "worker.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	base := []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + root, "PYTHONDONTWRITEBYTECODE=1", "PYTHONPATH=" + root}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = root
	cmd.Env = append(base, env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	kill := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); <-exited }
	defer kill()
	isReady := func() bool { b, _ := os.ReadFile(logPath); return strings.Contains(string(b), " ready.") }
	for deadline := time.Now().Add(60 * time.Second); !isReady(); {
		select {
		case <-exited:
			t.Fatalf("%s: the worker exited before it was ready\n%s", app, tail(logPath))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the worker was not ready after 60 s\n%s", app, tail(logPath))
		}
		time.Sleep(200 * time.Millisecond)
	}
	peak := exec.Command("/usr/bin/python3", "-I", peakScript(t), fmt.Sprint(celeryWindow.Seconds()))
	peak.Env = append([]string{"PATH=/usr/bin:/bin"}, pgEnv...)
	var peakOut strings.Builder
	peak.Stdout, peak.Stderr = &peakOut, &peakOut
	if err := peak.Start(); err != nil {
		t.Fatal(err)
	}
	enqueue := exec.Command("/usr/bin/python3", "enqueue.py", strconv.Itoa(tasks), strconv.Itoa(celeryHoldMS))
	enqueue.Dir = root
	enqueue.Env = cmd.Env
	out, eerr := enqueue.CombinedOutput()
	werr := peak.Wait()
	if eerr != nil {
		t.Fatalf("%s: enqueue.py: %v\n%s", app, eerr, out)
	}
	if werr != nil {
		t.Fatalf("peak.py: %v\n%s", werr, peakOut.String())
	}
	select {
	case <-exited:
		t.Fatalf("%s: the worker exited during the test\n%s", app, tail(logPath))
	default:
	}
	atLimit := false
	if log := tail(logPath); strings.Contains(log, "Traceback") || strings.Contains(log, "ERROR/") {
		atLimit = strings.Contains(log, "too many clients already") || strings.Contains(log, "remaining connection slots are reserved")
		if !leak || !atLimit {
			t.Errorf("%s: a task failed:\n%s", app, log)
		}
	}
	var peaks map[string]int
	if err := json.Unmarshal([]byte(peakOut.String()), &peaks); err != nil {
		t.Fatalf("peak.py: %v\n%s", err, peakOut.String())
	}
	return peaks[app], atLimit
}

// predictedLeak is the leak `headroom model --format json` gives for a
// PostgreSQL budget term of the stack, "" when none.
func predictedLeak(t *testing.T, bin, dir, name string) string {
	t.Helper()
	_, _, out := postgresBudgets(t, bin, dir, name)
	var m struct {
		Deployments []struct {
			Budgets []struct {
				Terms []struct {
					Leak string `json:"leak"`
				} `json:"terms"`
			} `json:"budgets"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("headroom model --format json: %v", err)
	}
	for _, d := range m.Deployments {
		for _, b := range d.Budgets {
			for _, term := range b.Terms {
				if term.Leak != "" {
					return term.Leak
				}
			}
		}
	}
	return ""
}

func celeryMarkdown(rows []celeryRow) string {
	var b strings.Builder
	b.WriteString("| configuration | celery worker | tasks | predicted connections | measured peak | agrees |\n")
	b.WriteString("|---|---|---:|---:|---:|---|\n")
	for _, r := range rows {
		verdict := "yes"
		predicted := strconv.Itoa(r.Predicted)
		if r.Leak != "" {
			predicted = "at least " + predicted + ", growing"
			verdict = "yes: the connections grow with the tasks served (" + r.Leak + ")"
			if r.AtLimit {
				verdict += "; they reached max_connections and tasks failed with PostgreSQL's \"too many clients\""
			}
		}
		if !r.agrees() {
			verdict = "no"
			if g, ok := celeryGaps[r.Name]; ok {
				verdict = "no (known gap): " + g.Reason
			}
		}
		fmt.Fprintf(&b, "| %s | `%s` | %d | %s | %d | %s |\n", r.Name, strings.Join(r.Opts, " "), r.Tasks, predicted, r.Peak, verdict)
	}
	return b.String()
}
