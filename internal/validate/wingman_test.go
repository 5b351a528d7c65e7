package validate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/headroom-dev/headroom/internal/loadgen"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// TestWingmanBeforeAfterFix (`make validate-model-wingman`) runs the
// report's own stack, testdata/wingman, on Debian's servers before and
// after `headroom fix --phase 1`, and compares what PostgreSQL and Redis
// see with `headroom model --format json`.
//
// The deployment files and the settings module are wingman's own; its
// Django code is the stand-in of testdata/validate/wingman/app (wingman.asgi,
// the URLs /db/ and /cache/, the tasks chat.tasks.generate_reply and
// core.tasks.transcode_media that its CELERY_TASK_ROUTES send to ai_queue
// and heavy_queue). Debian has none of wingman's pinned versions (Django
// 5.1 with psycopg 3 and its pool, Celery 5.4, gunicorn 23, uvicorn 0.32):
// the case runs Debian's (Django 3.2, psycopg2, Celery 5.2.6, gunicorn 20.1,
// uvicorn 0.17, daphne 4.0), and headroom is told so by
// testdata/validate/wingman/requirements.txt, written over wingman's
// requirements.txt in the staged copy.
//
// The settings name their servers host.docker.internal:5432 (HOST and
// PORT, literal) and redis:6379 (the defaults of REDIS_URL and
// CELERY_BROKER_URL). The test leaves them as written: it re-runs itself
// under `unshare --net --mount --pid` (root), in a network namespace whose
// only interface is its own loopback, with an /etc/hosts bind-mounted over
// the real one that maps those names (the PostgreSQL and Redis budgets'
// hosts in `headroom model`) and localhost to 127.0.0.1; PostgreSQL and
// Redis listen on 127.0.0.1:5432 and :6379 there, and the services bind
// what their command lines say (0.0.0.0:8000, 0.0.0.0:8001), which in the
// namespace is loopback only. Nothing reaches beyond it, and when the test
// ends the namespace's processes die with it.
//
// Each service of `headroom model` (web: gunicorn with UvicornWorker;
// daphne; celery_ai: gevent 100; celery_heavy: prefork 2; celery_beat) runs
// its command line as headroom's stack loader reads it, with Debian's
// program, each named by PGAPPNAME. All run at once; during one window the
// load generator loads /db/ on both web services (an ORM query, then the
// connection held 200 ms in pg_sleep), and enqueue.py sends tasks to both
// queues: transcode_media does the same on heavy_queue, generate_reply on
// ai_queue queries, then waits wingmanAIMS on the AI model, a cooperative
// wait under gevent as its HTTP call is, with its connection open. peak.py
// samples pg_stat_activity per application_name, and which backends'
// clients are still connected (pgAgrees); Redis connections are counted per service from
// /proc/net/tcp (the client ends of connections to 6379) and the process
// group owning each socket. Then `headroom fix --phase 1` runs on the copy,
// the stack is started again and measured again.
//
// It fails unless, before and after: each service's peak PostgreSQL
// connections (those whose client was connected) are <= the model's and
// the model within connSlack of the peak where the load kept every slot
// busy (known gaps: wingmanGaps); the total is <= the
// budget; each service's Redis connections are <= the model's; /db/,
// /cache/ and an unknown URL get the same status and body on both web
// services; and where the model's PostgreSQL budget after the fix is no
// larger than before, the measured total is no larger either.
func TestWingmanBeforeAfterFix(t *testing.T) {
	if os.Getenv("HEADROOM_VALIDATE") != "1" {
		t.Skip("real-stack test: set HEADROOM_VALIDATE=1 (make validate-model-wingman) as root with Debian's postgresql, redis-server, gunicorn, daphne, python3-uvicorn, python3-celery, python3-django, python3-psycopg2, python3-gevent, python3-django-redis, python3-django-channels, python3-channels-redis, python3-djangorestframework and util-linux's unshare")
	}
	if os.Getenv(wingmanInside) != "1" {
		runInNamespace(t)
		return
	}
	for _, mod := range []string{"django", "celery", "redis", "django_redis", "psycopg2", "gevent", "uvicorn", "daphne", "channels", "channels_redis", "rest_framework"} {
		if out, err := exec.Command("/usr/bin/python3", "-I", "-c", "import "+mod).CombinedOutput(); err != nil {
			t.Fatalf("python3 module %s missing: %v\n%s (.ci/run installs it)", mod, err, out)
		}
	}
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := buildHeadroom(t, tmp)
	root := filepath.Join(tmp, "wingman")
	for _, from := range []string{filepath.Join(testdata, "validate", "wingman", "app"), filepath.Join(testdata, "wingman")} {
		if err := os.CopyFS(root, os.DirFS(from)); err != nil {
			t.Fatal(err)
		}
	}
	req, err := os.ReadFile(filepath.Join(testdata, "validate", "wingman", "requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "requirements.txt"), req, 0o644); err != nil {
		t.Fatal(err)
	}

	before := wingmanModel(t, bin, tmp)
	setupNamespace(t, tmp, before.Hosts)
	pgEnv := startPostgresAt(t, "127.0.0.1", wingmanPGPort)
	psql(t, pgEnv, "postgres", "CREATE ROLE wingman LOGIN", "CREATE DATABASE wingman OWNER wingman")
	redis := startRedisOn(t, tmp, wingmanRedisPort, 10000) // Redis's default maxclients, as wingman's compose file runs it
	versions := wingmanVersions(t)
	load := loadAverage()
	base := []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + root, "PYTHONDONTWRITEBYTECODE=1", "PYTHONPATH=" + root,
		"DJANGO_SETTINGS_MODULE=wingman.settings", "HOLD_MS=" + strconv.Itoa(wingmanHoldMS)}
	if out, err := runEnv(time.Minute, root, append(base, "PGAPPNAME=headroom-setup"), "/usr/bin/python3", "setup_db.py"); err != nil {
		t.Fatalf("creating wingman's tables: %v\n%s", err, out)
	}

	phases := []*wingmanPhase{{Name: "before", Model: before}}
	phases[0].measure(t, root, base, pgEnv)
	redisCommand(t, redis, "FLUSHALL") // the tasks left queued stay with their phase
	if out, err := runFor(time.Minute, tmp, bin, "fix", "--phase", "1", "wingman"); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 { // 1: findings remain
			t.Fatalf("headroom fix --phase 1: %v\n%s", err, out)
		}
	}
	after := &wingmanPhase{Name: "after", Model: wingmanModel(t, bin, tmp)}
	phases = append(phases, after)
	after.measure(t, root, base, pgEnv)

	table := wingmanMarkdown(phases)
	t.Logf("%d ms held per request and task, %s warm-up, %s measured, %d cores, load average %s at the start; %s:\n%s",
		wingmanHoldMS, pgWarmup, pgWindow, runtime.NumCPU(), load, versions, table)
	for _, p := range phases {
		p.check(t)
	}
	for url, b := range phases[0].Answers {
		if a := after.Answers[url]; a != b {
			t.Errorf("%s answers differently after the fix: before %q, after %q", url, b, a)
		}
	}
	if after.Model.PGTotal <= before.PGTotal {
		checkGap(t, wingmanGaps, "total after fix", after.pgOpenTotal() <= phases[0].pgOpenTotal(),
			fmt.Sprintf("the model's PostgreSQL budget goes from %d to %d with the fix, measured total (backends with their client connected) from %d to %d",
				before.PGTotal, after.Model.PGTotal, phases[0].pgOpenTotal(), after.pgOpenTotal()))
	}
	if *update {
		if t.Failed() {
			t.Fatal("not updating the README from a failed run")
		}
		block := fmt.Sprintf("Measured on %s on a %d-core machine (load average %s at the start), %d ms held per request and task, %s warm-up, %s measured, %s:\n\n%s",
			time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), load, wingmanHoldMS, pgWarmup, pgWindow, versions, table)
		replaceReadmeBlock(t, wingmanBeginMark, wingmanEndMark, block)
	}
}

const (
	wingmanBeginMark = "<!-- validate-model-wingman: begin -->"
	wingmanEndMark   = "<!-- validate-model-wingman: end -->"
	// wingmanInside marks the run inside the namespace.
	wingmanInside = "HEADROOM_WINGMAN_NAMESPACE"
	wingmanHoldMS = 200
	// wingmanAIMS is how long generate_reply waits on the AI model (a
	// cooperative wait, as its HTTP call is under gevent), its connection
	// open: long enough for every greenlet of celery_ai to have queried
	// and be waiting at once, though psycopg2 runs their queries one at a
	// time.
	wingmanAIMS = 5000
	// wingmanPGPort and wingmanRedisPort are the ports wingman's settings
	// name (PORT '5432'; redis://redis:6379).
	wingmanPGPort    = 5432
	wingmanRedisPort = 6379
	// Tasks enqueued per slot of each worker, so every slot stays busy
	// while the peak is sampled.
	wingmanTasksPerSlot = 3
)

// wingmanGaps are the measurements today's model gets wrong on wingman,
// with the same rules as knownModelGaps; keys are "phase/service" and
// "total after fix".
var wingmanGaps = map[string]gap{}

// runInNamespace re-runs this test inside new network, mount and PID
// namespaces (see TestWingmanBeforeAfterFix) and relays its output.
func runInNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("validate-model-wingman runs the stack in a network namespace of its own (unshare --net --mount --pid) and PostgreSQL as the postgres user: run it as root, as .ci/run does")
	}
	if _, err := os.Stat("/usr/bin/unshare"); err != nil {
		t.Fatalf("util-linux's unshare missing: %v", err)
	}
	args := []string{"--net", "--mount", "--pid", "--fork", "--mount-proc", "--", os.Args[0],
		"-test.run", "^" + t.Name() + "$", "-test.v", "-test.count=1", "-test.timeout=8m"}
	if *update {
		args = append(args, "-update")
	}
	cmd := exec.Command("/usr/bin/unshare", args...)
	cmd.Env = append(os.Environ(), wingmanInside+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Run(); err != nil {
		t.Fatalf("the run inside the namespace failed: %v (its output is above)", err)
	}
}

// setupNamespace brings the namespace's loopback up and resolves hosts and
// localhost to it through a private /etc/hosts.
func setupNamespace(t *testing.T, tmp string, hosts []string) {
	t.Helper()
	if out, err := exec.Command("/usr/sbin/ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set lo up: %v: %s", err, out)
	}
	path := filepath.Join(tmp, "hosts")
	text := "127.0.0.1 localhost " + strings.Join(hosts, " ") + "\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(path, "/etc/hosts", "", syscall.MS_BIND, ""); err != nil {
		t.Fatalf("bind-mounting /etc/hosts: %v", err)
	}
}

// wingmanUnit is a service of `headroom model --format json`.
type wingmanUnit struct {
	Service     string `json:"service"`
	Server      string `json:"server"`
	WorkerClass string `json:"worker_class"`
	Web         bool   `json:"web"`
	Concurrency struct {
		N int `json:"n"`
	} `json:"concurrency"`
	Processes struct {
		N int `json:"n"`
	} `json:"processes"`
}

// wingmanPrediction is what `headroom model` says of the staged stack.
type wingmanPrediction struct {
	Units []wingmanUnit
	// PG and Redis are each service's connections in the PostgreSQL and
	// Redis budgets; PGTotal and RedisTotal the budgets' totals.
	PG, Redis           map[string]int
	PGTotal, RedisTotal int
	// Hosts are the budgets' server names (host.docker.internal, redis).
	Hosts []string
	// RPS is `headroom report`'s throughput of each web service at
	// wingmanHoldMS per request, all of it holding PostgreSQL.
	RPS map[string]float64
}

func wingmanModel(t *testing.T, bin, dir string) wingmanPrediction {
	t.Helper()
	out, err := runFor(time.Minute, dir, bin, "model", "--format", "json", "wingman")
	if err != nil {
		t.Fatalf("headroom model --format json wingman: %v\n%s", err, out)
	}
	var m struct {
		Deployments []struct {
			Units   []wingmanUnit `json:"units"`
			Budgets []struct {
				Resource string `json:"resource"`
				Name     string `json:"name"`
				Used     int    `json:"used"`
				Terms    []struct {
					Service string `json:"service"`
					N       int    `json:"n"`
				} `json:"terms"`
			} `json:"budgets"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal(out, &m); err != nil || len(m.Deployments) != 1 {
		t.Fatalf("headroom model --format json: want one deployment (%v)\n%s", err, out)
	}
	d := m.Deployments[0]
	p := wingmanPrediction{Units: d.Units, PG: map[string]int{}, Redis: map[string]int{}, RPS: map[string]float64{}}
	budgets := map[string]int{}
	for _, b := range d.Budgets {
		into := map[string]map[string]int{"postgres": p.PG, "redis": p.Redis}[b.Resource]
		if into == nil {
			continue
		}
		budgets[b.Resource]++
		p.Hosts = append(p.Hosts, b.Name)
		for _, term := range b.Terms {
			into[term.Service] += term.N
		}
		if b.Resource == "postgres" {
			p.PGTotal = b.Used
		} else {
			p.RedisTotal = b.Used
		}
	}
	if budgets["postgres"] != 1 || budgets["redis"] != 1 || len(d.Units) == 0 {
		t.Fatalf("headroom model on wingman: want one PostgreSQL and one Redis budget and the services, got %v and %d services\n%s", budgets, len(d.Units), out)
	}
	out, err = runFor(time.Minute, dir, bin, "report", "--format", "json", "--request-ms", strconv.Itoa(wingmanHoldMS), "--db-ms", strconv.Itoa(wingmanHoldMS), "wingman")
	if err != nil {
		t.Fatalf("headroom report --format json wingman: %v\n%s", err, out)
	}
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil || len(rep.Deployments) != 1 {
		t.Fatalf("headroom report --format json: want one deployment (%v)\n%s", err, out)
	}
	for _, s := range rep.Deployments[0].Services {
		if s.ThroughputRPS != nil {
			p.RPS[s.Name] = *s.ThroughputRPS
		}
	}
	return p
}

// wingmanService is one service as run and measured in a phase.
type wingmanService struct {
	Unit    wingmanUnit
	Argv    []string
	Opts    string // the command line as the deployment writes it
	Port    int    // the web services' listening port
	Clients int    // load generator clients, or tasks enqueued
	// Saturated says the load kept every slot the model counts busy.
	Saturated bool
	PGPeak    int
	// PGOpen is the peak of the backends whose client end was still
	// established: PGPeak less the backends still exiting after their
	// client closed (closingBackend).
	PGOpen     int
	RedisPeak  int
	Res        *loadgen.Result
	PredPG     int
	PredRedis  int
	PredRPS    float64
	HasPredRPS bool
}

// wingmanPhase is the stack measured once, before or after the fix.
type wingmanPhase struct {
	Name     string
	Model    wingmanPrediction
	Services []*wingmanService
	// Answers maps "service URL" to "status body".
	Answers map[string]string
}

func (p *wingmanPhase) pgTotal() int {
	n := 0
	for _, s := range p.Services {
		n += s.PGPeak
	}
	return n
}

// pgOpenTotal is pgTotal of the backends whose client was connected.
func (p *wingmanPhase) pgOpenTotal() int {
	n := 0
	for _, s := range p.Services {
		n += s.PGOpen
	}
	return n
}

func (p *wingmanPhase) redisTotal() int {
	n := 0
	for _, s := range p.Services {
		n += s.RedisPeak
	}
	return n
}

// pgAgrees is pgRow's check, except that a backend still exiting after its
// client closed (closingBackend: CONN_MAX_AGE 0 opens a connection per
// request or task) is not held against the model: the backends whose
// client was connected must be <= the prediction, and where the load kept
// every slot busy the prediction within connSlack of all the backends.
func (s *wingmanService) pgAgrees() bool {
	if s.PGOpen > s.PredPG {
		return false
	}
	return !s.Saturated || float64(s.PredPG) <= float64(s.PGPeak)*(1+connSlack)
}

// pgMeasured is the peak as the table shows it: "9 (8 open)" where
// backends were still exiting.
func (s *wingmanService) pgMeasured() string {
	if s.PGOpen < s.PGPeak {
		return fmt.Sprintf("%d (%d open)", s.PGPeak, s.PGOpen)
	}
	return strconv.Itoa(s.PGPeak)
}

// wingmanProgram is Debian's program for what the command line runs.
var wingmanProgram = map[string][]string{
	"gunicorn": {"/usr/bin/gunicorn"},
	"daphne":   {"/usr/bin/daphne"},
	"celery":   {"/usr/bin/python3", "-m", "celery"},
	"uvicorn":  {"/usr/bin/python3", "-m", "uvicorn"},
}

// services pairs each unit of the model with its command line as
// headroom's stack loader reads it.
func (p *wingmanPhase) services(t *testing.T, root string) {
	t.Helper()
	s, errs := stack.Load([]string{root}, stack.MaxFileSize)
	if len(errs) > 0 {
		t.Fatalf("loading %s: %v", root, errs)
	}
	for _, u := range p.Model.Units {
		sv := &wingmanService{Unit: u, PredPG: p.Model.PG[u.Service], PredRedis: p.Model.Redis[u.Service]}
		sv.PredRPS, sv.HasPredRPS = p.Model.RPS[u.Service]
		var cmd *stack.Command
		var program string
		var words []parsers.Word
		if u.Server == "celery beat" {
			// Not a server command: the stack lists beat services apart.
			for _, b := range s.Beats() {
				if b.Service.Service.Name == u.Service {
					program, words = "celery", b.Argv.Words
				}
			}
			for i, w := range words {
				if path.Base(w.Value) == "celery" {
					words = words[i+1:]
					break
				}
			}
		} else {
			for _, c := range s.Commands {
				if c.Server != nil && (c.Service == u.Service || len(c.Services) == 1 && c.Services[0] == u.Service) {
					cmd = c
				}
			}
			if cmd != nil {
				program, words = cmd.Server.Program, cmd.Server.Argv.Words[cmd.Server.ProgramWord+1:]
			}
		}
		if program == "" {
			t.Fatalf("%s: no command line for service %s", root, u.Service)
		}
		prog, ok := wingmanProgram[program]
		if !ok {
			t.Fatalf("%s: no Debian program for %s", u.Service, program)
		}
		sv.Argv = append([]string(nil), prog...)
		var args []string
		for _, w := range words {
			if strings.Contains(w.Value, "$") {
				t.Fatalf("%s: the command line uses a shell variable (%s)", u.Service, w.Value)
			}
			args = append(args, w.Value)
		}
		sv.Argv = append(sv.Argv, args...)
		sv.Opts = program + " " + strings.Join(args, " ")
		if u.Web {
			// daphne's -p, else gunicorn's --bind host:port (daphne's -b
			// is the host alone).
			o := cmd.Server.Lookup("port")
			if o == nil {
				o = cmd.Server.Lookup("bind")
			}
			if o == nil {
				t.Fatalf("%s: no bind or port on the command line", u.Service)
			}
			_, port, _ := strings.Cut(o.Value, ":")
			if port == "" {
				port = o.Value
			}
			n, err := strconv.Atoi(port)
			if err != nil {
				t.Fatalf("%s: port %q: %v", u.Service, o.Value, err)
			}
			sv.Port = n
		}
		p.Services = append(p.Services, sv)
	}
}

// measure starts every service, loads the web services and the queues in
// one window while PostgreSQL and Redis connections are sampled, records
// the test URLs' answers and stops the services.
func (p *wingmanPhase) measure(t *testing.T, root string, base, pgEnv []string) {
	t.Helper()
	p.services(t, root)
	var procs []*wingmanProc
	defer func() {
		for _, pr := range procs {
			pr.stop(t)
		}
	}()
	for _, s := range p.Services {
		pr := startWingmanProc(t, root, p.Name+"-"+s.Unit.Service, s.Argv, append(base, "PGAPPNAME="+s.Unit.Service))
		procs = append(procs, pr)
		pr.service = s
	}
	workers := 0
	for _, pr := range procs {
		pr.waitReady(t)
		if pr.service.Unit.Server == "celery worker" {
			workers++
		}
	}
	workersReady(t, root, append(base, "PGAPPNAME=headroom-ping"), workers, procs)
	p.Answers = map[string]string{}
	for _, s := range p.Services {
		if s.Unit.Web {
			for _, path := range []string{"db/", "cache/", "no-such-page/"} {
				url := fmt.Sprintf("http://localhost:%d/%s", s.Port, path)
				p.Answers[s.Unit.Service+" /"+path] = answer(t, url)
			}
		}
	}

	peak := exec.Command("/usr/bin/python3", "-I", peakScript(t), fmt.Sprint((pgWarmup + pgWindow).Seconds()), "open")
	peak.Env = append([]string{"PATH=/usr/bin:/bin"}, pgEnv...)
	var peakOut strings.Builder
	peak.Stdout, peak.Stderr = &peakOut, &peakOut
	if err := peak.Start(); err != nil {
		t.Fatal(err)
	}
	sampler := sampleRedis(procs, pgWarmup+pgWindow)
	var wg sync.WaitGroup
	loadErrs := make(chan error, len(p.Services))
	var ai, heavy int
	for _, s := range p.Services {
		s := s
		switch {
		case s.Unit.Web:
			// More clients than the processes, so every process has a
			// request holding a connection at all times.
			s.Clients = max(minClients, 4*s.Unit.Processes.N)
			s.Saturated = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), pgWarmup+pgWindow+time.Minute)
				defer cancel()
				res, err := loadgen.Run(ctx, loadgen.Config{URL: fmt.Sprintf("http://localhost:%d/db/", s.Port), Concurrency: s.Clients,
					Warmup: pgWarmup, Duration: pgWindow, Timeout: 30 * time.Second, NewConnections: true})
				if err != nil {
					loadErrs <- fmt.Errorf("%s: load: %v", s.Unit.Service, err)
					return
				}
				s.Res = &res
			}()
		case s.Unit.Server == "celery worker":
			s.Clients = wingmanTasksPerSlot * s.Unit.Processes.N * s.Unit.Concurrency.N
			s.Saturated = true
			if s.Unit.WorkerClass == "gevent" {
				ai += s.Clients
			} else {
				heavy += s.Clients
			}
		}
	}
	// The routes send generate_reply to ai_queue (celery_ai, the gevent
	// worker) and transcode_media to heavy_queue (celery_heavy, prefork).
	time.Sleep(pgWarmup)
	if out, err := runEnv(time.Minute, root, append(base, "PGAPPNAME=headroom-enqueue"), "/usr/bin/python3", "enqueue.py",
		strconv.Itoa(ai), strconv.Itoa(heavy), strconv.Itoa(wingmanHoldMS), strconv.Itoa(wingmanAIMS)); err != nil {
		t.Fatalf("enqueue.py: %v\n%s", err, out)
	}
	wg.Wait()
	close(loadErrs)
	for err := range loadErrs {
		t.Fatal(err)
	}
	redisPeaks := <-sampler
	if err := peak.Wait(); err != nil {
		t.Fatalf("peak.py: %v\n%s", err, peakOut.String())
	}
	var pgPeaks map[string]int
	if err := json.Unmarshal([]byte(peakOut.String()), &pgPeaks); err != nil {
		t.Fatalf("peak.py: %v\n%s", err, peakOut.String())
	}
	for _, pr := range procs {
		s := pr.service
		s.PGPeak, s.PGOpen, s.RedisPeak = pgPeaks[s.Unit.Service], pgPeaks["open:"+s.Unit.Service], redisPeaks[s.Unit.Service]
		select {
		case <-pr.exited:
			t.Fatalf("%s %s exited during the test\n%s", p.Name, s.Unit.Service, tail(pr.log))
		default:
		}
		if log := tail(pr.log); strings.Contains(log, "Traceback") || strings.Contains(log, "ERROR/") {
			t.Errorf("%s %s: an error in its log:\n%s", p.Name, s.Unit.Service, log)
		}
		t.Logf("%s %s: %s: predicted %d PostgreSQL / %d Redis connections, %d clients or tasks: peak %d backends (%d with their client connected), %d Redis connections",
			p.Name, s.Unit.Service, strings.Join(s.Argv, " "), s.PredPG, s.PredRedis, s.Clients, s.PGPeak, s.PGOpen, s.RedisPeak)
	}
}

// check compares each service's and the total measurement with the model.
func (p *wingmanPhase) check(t *testing.T) {
	t.Helper()
	for _, s := range p.Services {
		checkGap(t, wingmanGaps, p.Name+"/"+s.Unit.Service, s.pgAgrees(), fmt.Sprintf("headroom predicts %d PostgreSQL connections, measured peak %d, %d with their client connected (saturated %v)",
			s.PredPG, s.PGPeak, s.PGOpen, s.Saturated))
		if s.RedisPeak > s.PredRedis {
			t.Errorf("%s/%s: headroom predicts %d Redis connections, measured %d", p.Name, s.Unit.Service, s.PredRedis, s.RedisPeak)
		}
		if s.Res != nil && s.Res.Errors > 0 {
			t.Errorf("%s/%s: %d requests failed (first: %s)", p.Name, s.Unit.Service, s.Res.Errors, s.Res.FirstError)
		}
	}
	// Sum of each service's peak: at least the peak of the sum.
	if n := p.pgOpenTotal(); n > p.Model.PGTotal {
		t.Errorf("%s: the PostgreSQL budget is %d connections, measured %d (the sum of each service's peak of backends with their client connected)", p.Name, p.Model.PGTotal, n)
	}
	if n := p.redisTotal(); n > p.Model.RedisTotal {
		t.Errorf("%s: the Redis budget is %d connections, measured %d (the sum of each service's peak)", p.Name, p.Model.RedisTotal, n)
	}
}

// answer is "status body" of a GET.
func answer(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.Status + " " + string(b)
}

// wingmanProc is a service's process group.
type wingmanProc struct {
	service *wingmanService
	pid     int
	log     string
	exited  chan struct{}
	file    *os.File
}

func startWingmanProc(t *testing.T, root, name string, argv, env []string) *wingmanProc {
	t.Helper()
	logPath := filepath.Join(root, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = root
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pr := &wingmanProc{pid: cmd.Process.Pid, log: logPath, exited: make(chan struct{}), file: f}
	go func() { cmd.Wait(); close(pr.exited) }()
	return pr
}

func (pr *wingmanProc) stop(t *testing.T) {
	stop(t, pr.pid, pr.exited)
	pr.file.Close()
}

// waitReady waits for a web service's first answer and beat's
// "Starting..." (its -l info); workers are waited for by workersReady.
func (pr *wingmanProc) waitReady(t *testing.T) {
	t.Helper()
	s := pr.service
	switch {
	case s.Unit.Web:
		if err := ready(fmt.Sprintf("http://localhost:%d/db/", s.Port), pr.exited); err != nil {
			t.Fatalf("%s did not answer: %v\n%s", s.Unit.Service, err, tail(pr.log))
		}
		return
	case s.Unit.Server != "celery beat":
		return
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		if b, _ := os.ReadFile(pr.log); strings.Contains(string(b), "beat: Starting...") {
			return
		}
		select {
		case <-pr.exited:
			t.Fatalf("%s exited before it was ready\n%s", s.Unit.Service, tail(pr.log))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after 60 s\n%s", s.Unit.Service, tail(pr.log))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// workersReady waits until `celery inspect ping` gets a pong from each of
// the n workers (wingman's do not log at INFO, so their " ready." line
// never shows).
func workersReady(t *testing.T, root string, env []string, n int, procs []*wingmanProc) {
	t.Helper()
	var out []byte
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
		out, _ = runEnv(30*time.Second, root, env, "/usr/bin/python3", "-m", "celery", "-A", "wingman", "inspect", "ping", "--timeout", "2")
		if strings.Count(string(out), "pong") >= n {
			return
		}
		for _, pr := range procs {
			select {
			case <-pr.exited:
				t.Fatalf("%s exited before it was ready\n%s", pr.service.Unit.Service, tail(pr.log))
			default:
			}
		}
	}
	t.Fatalf("celery inspect ping: want %d workers to answer\n%s", n, out)
}

// sampleRedis counts, every 20 ms for d, the connections to Redis each
// service's process group holds: the client ends in /proc/net/tcp (remote
// port wingmanRedisPort, established) and the process owning each socket.
// It sends each service's peak on the channel.
func sampleRedis(procs []*wingmanProc, d time.Duration) <-chan map[string]int {
	byGroup := map[int]string{}
	for _, pr := range procs {
		byGroup[pr.pid] = pr.service.Unit.Service
	}
	ch := make(chan map[string]int, 1)
	go func() {
		peak := map[string]int{}
		for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			inodes := redisClientSockets()
			n := map[string]int{}
			fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
			for _, fd := range fds {
				link, err := os.Readlink(fd)
				if err != nil || !inodes[link] {
					continue
				}
				pid, _ := strconv.Atoi(strings.Split(fd, "/")[2])
				if svc, ok := byGroup[processGroup(pid)]; ok {
					n[svc]++
				}
			}
			for svc, c := range n {
				peak[svc] = max(peak[svc], c)
			}
		}
		ch <- peak
	}()
	return ch
}

// redisClientSockets is the set of "socket:[inode]" of established TCP
// connections whose remote end is 127.0.0.1:wingmanRedisPort.
func redisClientSockets() map[string]bool {
	set := map[string]bool{}
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return set
	}
	defer f.Close()
	want := fmt.Sprintf("0100007F:%04X", wingmanRedisPort)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode
		fs := strings.Fields(sc.Text())
		if len(fs) > 9 && fs[2] == want && fs[3] == "01" {
			set["socket:["+fs[9]+"]"] = true
		}
	}
	return set
}

// processGroup is pid's process group (the fifth field of /proc/pid/stat).
func processGroup(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fs := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fs) < 3 {
		return 0
	}
	g, _ := strconv.Atoi(fs[2])
	return g
}

// redisCommand sends one inline command and fails unless Redis answers +OK.
func redisCommand(t *testing.T, addr, command string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte(command + "\r\n")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "+OK") {
		t.Fatalf("redis %s: %q %v", command, line, err)
	}
}

// psql runs each statement in db as the test's superuser.
func psql(t *testing.T, pgEnv []string, db string, statements ...string) {
	t.Helper()
	for _, s := range statements {
		cmd := exec.Command("/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", s)
		cmd.Env = append(os.Environ(), pgEnv...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("psql %s: %v\n%s", s, err, out)
		}
	}
}

func runEnv(d time.Duration, dir string, env []string, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	return cmd.CombinedOutput()
}

// wingmanVersions names the versions the case ran.
func wingmanVersions(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("/usr/bin/python3", "-I", "-c",
		"import importlib.metadata as m; print(', '.join(f'{n} {m.version(d)}' for n, d in [('Django', 'django'), ('gunicorn', 'gunicorn'), ('uvicorn', 'uvicorn'), ('daphne', 'daphne'), ('Celery', 'celery'), ('kombu', 'kombu'), ('psycopg2', 'psycopg2'), ('gevent', 'gevent'), ('redis-py', 'redis'), ('django-redis', 'django-redis'), ('channels', 'channels'), ('channels-redis', 'channels-redis'), ('djangorestframework', 'djangorestframework')]))").CombinedOutput()
	if err != nil {
		t.Fatalf("reading versions: %v\n%s", err, out)
	}
	return toolVersions(t, pgVersionArgv, redisVersionArgv) + ", " + strings.TrimSpace(string(out))
}

func wingmanMarkdown(phases []*wingmanPhase) string {
	var b strings.Builder
	b.WriteString("| phase | service | command | load | predicted PostgreSQL | measured peak | agrees | predicted Redis | measured Redis | predicted req/s | measured req/s |\n")
	b.WriteString("|---|---|---|---|---:|---:|---|---:|---:|---:|---:|\n")
	for _, p := range phases {
		for _, s := range p.Services {
			verdict := "yes"
			if !s.pgAgrees() {
				verdict = "no"
				if g, ok := wingmanGaps[p.Name+"/"+s.Unit.Service]; ok {
					verdict = "no (known gap): " + g.Reason
				}
			}
			load, pred, got := "none", "", ""
			switch {
			case s.Unit.Web:
				load = fmt.Sprintf("%d clients on /db/", s.Clients)
			case s.Clients > 0 && s.Unit.WorkerClass == "gevent":
				load = fmt.Sprintf("%d tasks: a query, then %d ms waiting on the AI model", s.Clients, wingmanAIMS)
			case s.Clients > 0:
				load = fmt.Sprintf("%d tasks: a query, then %d ms in pg_sleep", s.Clients, wingmanHoldMS)
			}
			if s.HasPredRPS {
				pred = fmt.Sprintf("%.1f", s.PredRPS)
			}
			if s.Res != nil {
				got = fmt.Sprintf("%.1f", s.Res.RPS)
			}
			fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %d | %s | %s | %d | %d | %s | %s |\n",
				p.Name, s.Unit.Service, s.Opts, load, s.PredPG, s.pgMeasured(), verdict, s.PredRedis, s.RedisPeak, pred, got)
		}
		total := strconv.Itoa(p.pgTotal())
		if o := p.pgOpenTotal(); o < p.pgTotal() {
			total = fmt.Sprintf("%d (%d open)", p.pgTotal(), o)
		}
		fmt.Fprintf(&b, "| %s | **total** | | | %d | %s | | %d | %d | | |\n", p.Name, p.Model.PGTotal, total, p.Model.RedisTotal, p.redisTotal())
	}
	return b.String()
}
