package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/internal/schematest"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
	"github.com/headroom-dev/headroom/stack"
)

var update = flag.Bool("update", false, "rewrite docs/report-wingman.md from testdata/wingman")

// stackOf parses files given as path -> content into one stack.
func stackOf(t *testing.T, files map[string]string) *stack.Stack {
	t.Helper()
	var fs []*stack.File
	for p, src := range files {
		f, err := stack.Parse(parsers.NewDocument(p, parsers.Detect(p, []byte(src)), []byte(src)))
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	return stack.New(fs)
}

func build(t *testing.T, s *stack.Stack, a Assumptions) *Report {
	t.Helper()
	return Build([]*stack.Stack{s}, Options{Assumptions: a, Rules: rules.All()})
}

// TestLittlesLaw: a sync or gthread web service holds processes x threads
// requests, as capacity.Of reads them, and serves that many per request
// time: the prediction make validate-model checks against a real gunicorn.
func TestLittlesLaw(t *testing.T) {
	cases := []struct {
		cmd             string
		class           string
		procs, threads  int
		requestMS, dbMS float64
	}{
		{`["gunicorn", "-w", "2", "app.wsgi"]`, "sync", 2, 1, 100, 30},
		{`["gunicorn", "--workers", "4", "app.wsgi"]`, "sync", 4, 1, 50, 0},
		{`["gunicorn", "-w", "8", "app.wsgi"]`, "sync", 8, 1, 20, 20},
		{`["gunicorn", "-w", "2", "--worker-class", "gthread", "--threads", "4", "app.wsgi"]`, "gthread", 2, 4, 100, 10},
		{`["gunicorn", "-w", "3", "--threads", "5", "app.wsgi"]`, "gthread", 3, 5, 40, 10}, // --threads makes sync gthread
	}
	for _, tc := range cases {
		s := stackOf(t, map[string]string{"app/Dockerfile": "FROM python:3.12\nCMD " + tc.cmd + "\n"})
		u := capacity.Of(s).Web()[0]
		r := build(t, s, Assumptions{RequestMS: tc.requestMS, DBMS: tc.dbMS})
		svc := r.Deployments[0].Services[0]
		want := float64(tc.procs*tc.threads) / (tc.requestMS / 1000)
		if svc.Role != "web" || svc.WorkerClass != tc.class || svc.ProcessesN != u.Processes.N || svc.ThreadsN != u.Threads.N || svc.ProcessesN != tc.procs || svc.ThreadsN != tc.threads {
			t.Errorf("%s: role %s class %s processes %d threads %d, want web %s %d %d (the model's %d %d)", tc.cmd, svc.Role, svc.WorkerClass, svc.ProcessesN, svc.ThreadsN, tc.class, tc.procs, tc.threads, u.Processes.N, u.Threads.N)
		}
		if svc.InFlight == nil || *svc.InFlight != tc.procs*tc.threads || svc.ThroughputRPS == nil || math.Abs(*svc.ThroughputRPS-want) > 1e-9 || svc.Saturates != Workers {
			t.Errorf("%s at %g ms: in flight %v, %v req/s, saturates %q; want %d, %g, workers", tc.cmd, tc.requestMS, deref(svc.InFlight), deref(svc.ThroughputRPS), svc.Saturates, tc.procs*tc.threads, want)
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

const settings = `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "CONN_MAX_AGE": 0}}
`

// TestDatabaseBound: an ASGI web service is bounded by the PostgreSQL
// connections it can take (the room the budget leaves), each held for the
// whole request (not only its db_ms: Django keeps the connection from the
// first query to the end of the request); over the limit, by its share; and
// the CPU bound appears only with a CPU time.
func TestDatabaseBound(t *testing.T) {
	compose := func(maxConn, workers int) string {
		return fmt.Sprintf(`services:
  web:
    build: .
    command: gunicorn app.asgi -k uvicorn.workers.UvicornWorker -w %d
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  db:
    image: postgres:16
    command: postgres -c max_connections=%d
`, workers, maxConn)
	}
	// 23 usable (26 less 3 reserved), web claims at least 2: it may take
	// all 23, each held for the 100 ms request (not its 25 ms of queries):
	// 230 req/s.
	s := stackOf(t, map[string]string{"docker-compose.yml": compose(26, 2), "app/settings.py": settings})
	svc := build(t, s, Assumptions{RequestMS: 100, DBMS: 25}).Deployments[0].Services[0]
	if svc.Saturates != Database || svc.ThroughputRPS == nil || math.Abs(*svc.ThroughputRPS-230) > 1e-9 || *svc.InFlight != 23 {
		t.Errorf("within the budget: %v req/s, %v in flight, saturates %q; want 230, 23, database\n%+v", deref(svc.ThroughputRPS), deref(svc.InFlight), svc.Saturates, svc.Bounds)
	}
	// max_connections 4: 1 usable, web claims 2: its share is 2 x 1 / 2.
	s = stackOf(t, map[string]string{"docker-compose.yml": compose(4, 2), "app/settings.py": settings})
	svc = build(t, s, Assumptions{RequestMS: 100, DBMS: 25}).Deployments[0].Services[0]
	if svc.ThroughputRPS == nil || math.Abs(*svc.ThroughputRPS-10) > 1e-9 {
		t.Errorf("over the budget: %v req/s, want 1 connection / 100 ms = 10\n%+v", deref(svc.ThroughputRPS), svc.Bounds)
	}
	// With a CPU time, 2 processes x 1 CPU / 10 ms = 200 req/s binds.
	s = stackOf(t, map[string]string{"docker-compose.yml": compose(26, 2), "app/settings.py": settings})
	svc = build(t, s, Assumptions{RequestMS: 100, DBMS: 25, CPUMS: 10}).Deployments[0].Services[0]
	if svc.Saturates != CPU || math.Abs(*svc.ThroughputRPS-200) > 1e-9 {
		t.Errorf("with cpu_ms 10: %v req/s, saturates %q; want 200, cpu", deref(svc.ThroughputRPS), svc.Saturates)
	}
	// No database time, no CPU time: nothing read bounds an event loop.
	svc = build(t, s, Assumptions{RequestMS: 100}).Deployments[0].Services[0]
	if svc.Saturates != None || svc.ThroughputRPS != nil {
		t.Errorf("no bound: saturates %q, %v req/s", svc.Saturates, deref(svc.ThroughputRPS))
	}
}

// TestPgBouncerBound: behind PgBouncer the database bound is its server
// pool, shared by its clients; in transaction mode a server connection is
// held for the request's queries (db_ms), in session mode for the whole
// request.
func TestPgBouncerBound(t *testing.T) {
	files := func(mode string) map[string]string {
		return map[string]string{
			"docker-compose.yml": `services:
  web:
    build: .
    command: gunicorn app.wsgi -w 16
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  pgbouncer:
    image: edoburu/pgbouncer:1.22.1
    environment:
      DB_HOST: db
      POOL_MODE: ` + mode + `
      DEFAULT_POOL_SIZE: "4"
  db:
    image: postgres:16
`,
			"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "pgbouncer"}}` + "\n",
		}
	}
	// 16 workers, 4 server connections: 4 / 30 ms = 133 req/s in
	// transaction mode (the 16 workers alone carry 160); 4 / 100 ms = 40
	// in session mode.
	for mode, want := range map[string]float64{"transaction": 4 / 0.030, "session": 40} {
		svc := build(t, stackOf(t, files(mode)), Assumptions{RequestMS: 100, DBMS: 30}).Deployments[0].Services[0]
		if svc.Saturates != Database || svc.ThroughputRPS == nil || math.Abs(*svc.ThroughputRPS-want) > 1e-6 {
			t.Errorf("pool_mode %s: %v req/s, saturates %q; want %.1f, database\n%+v", mode, deref(svc.ThroughputRPS), svc.Saturates, want, svc.Bounds)
		}
	}
}

// TestUnevenAccept: two ASGI processes of a Django that runs sync views
// on one thread each (3.2) bound the web service at most at 2 / 200 ms,
// down to one process's worth, as validate-model-postgres measured; one
// process (daphne), or Django 4.0's thread per request, gives no range.
func TestUnevenAccept(t *testing.T) {
	workers := func(cmd, django string) Bound {
		s := stackOf(t, map[string]string{
			"Dockerfile":       "FROM python:3.11\nCMD " + cmd + "\n",
			"requirements.txt": "Django==" + django + "\nuvicorn==0.17.6\ndaphne==4.0.0\n",
			"app/settings.py":  `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}` + "\n",
		})
		for _, b := range build(t, s, Assumptions{RequestMS: 200, DBMS: 200}).Deployments[0].Services[0].Bounds {
			if b.Resource == Workers {
				return b
			}
		}
		return Bound{}
	}
	b := workers("gunicorn app.asgi:application -k uvicorn.workers.UvicornWorker -w 2", "3.2.25")
	if !b.AtMost || b.LeastRPS != 5 || b.ThroughputRPS != 10 || !strings.Contains(b.Why, "one busy 99% of the time") {
		t.Errorf("2 UvicornWorkers, Django 3.2: %+v; want at most 10 req/s, least 5, citing the measurement", b)
	}
	if b := workers("gunicorn app.asgi:application -k uvicorn.workers.UvicornWorker -w 1", "3.2.25"); b.AtMost || b.LeastRPS != 0 {
		t.Errorf("1 UvicornWorker: %+v; want no range", b)
	}
	if b := workers("daphne app.asgi:application", "3.2.25"); b.AtMost || b.LeastRPS != 0 || b.ThroughputRPS != 5 {
		t.Errorf("daphne, Django 3.2: %+v; want 5 req/s, no range", b)
	}
	if b := workers("gunicorn app.asgi:application -k uvicorn.workers.UvicornWorker -w 2", "4.2.1"); b.AtMost || b.LeastRPS != 0 {
		t.Errorf("Django 4.2: %+v; want no range (no one-thread bound)", b)
	}
}

// TestDefaultCPU: the defaults judge the CPU at the measured 10 ms
// (bench/cpu_ms), and the CPU bound says the figure is assumed and names
// its key; a given cpu_ms is not called assumed, and cpu_ms 0 still leaves
// the CPU unjudged.
func TestDefaultCPU(t *testing.T) {
	s := stackOf(t, map[string]string{"Dockerfile": "FROM python:3.12\nCMD gunicorn app.wsgi -w 2\n"})
	cpuBound := func(a Assumptions) (Bound, bool) {
		for _, b := range build(t, s, a).Deployments[0].Services[0].Bounds {
			if b.Resource == CPU {
				return b, true
			}
		}
		return Bound{}, false
	}
	b, ok := cpuBound(DefaultAssumptions())
	if !ok || math.Abs(b.ThroughputRPS-200) > 1e-9 || !strings.Contains(b.Why, "assumed: report.cpu_ms") {
		t.Errorf("default: CPU bound %+v (found %v), want 2 CPUs / 10 ms = 200 req/s, assumed, naming report.cpu_ms", b, ok)
	}
	given := DefaultAssumptions()
	given.CPUMS, given.CPUAssumed = 20, false
	if b, ok := cpuBound(given); !ok || math.Abs(b.ThroughputRPS-100) > 1e-9 || strings.Contains(b.Why, "assumed") {
		t.Errorf("cpu_ms 20 given: CPU bound %+v, want 100 req/s, not called assumed", b)
	}
	given.CPUMS = 0
	if b, ok := cpuBound(given); ok {
		t.Errorf("cpu_ms 0: the CPU is judged: %+v", b)
	}
}

// TestSig: every derived figure has two significant figures.
func TestSig(t *testing.T) {
	for f, want := range map[float64]string{27.2: "27", 9.07: "9.1", 36.3: "36", 892.8: "890", 1066.67: "1100", 0.0534: "0.053", 9.96: "10", -1.83: "-1.8", 2.72: "2.7", 300: "300", 27: "27", 0: "0"} {
		if got := sig(f); got != want {
			t.Errorf("sig(%v) = %q, want %q", f, got, want)
		}
	}
}

// TestASGISyncThreadBound: on Django 3.2 an ASGI server runs sync views
// on one thread per process, so 2 UvicornWorker processes serve 2 requests
// at once: 2 / 200 ms = 10 req/s (measured by make validate-model-postgres:
// 9.8), where Django 5.1 may serve a request per connection the budget has
// room for (23 / 200 ms = 115).
func TestASGISyncThreadBound(t *testing.T) {
	compose := `services:
  web:
    build: .
    command: gunicorn app.asgi -k uvicorn.workers.UvicornWorker -w 2
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  db:
    image: postgres:16
    command: postgres -c max_connections=26
`
	for _, tc := range []struct {
		req       string
		rps       float64
		saturates string
	}{
		{"Django==3.2.25\n", 10, Workers},
		{"Django==5.1.4\n", 115, Database},
	} {
		s := stackOf(t, map[string]string{"docker-compose.yml": compose, "app/settings.py": settings, "requirements.txt": tc.req})
		svc := build(t, s, Assumptions{RequestMS: 200, DBMS: 200}).Deployments[0].Services[0]
		if svc.Saturates != tc.saturates || svc.ThroughputRPS == nil || math.Abs(*svc.ThroughputRPS-tc.rps) > 1e-9 {
			t.Errorf("%q: %v req/s, saturates %q; want %g, %s\n%+v", tc.req, deref(svc.ThroughputRPS), svc.Saturates, tc.rps, tc.saturates, svc.Bounds)
		}
	}
}

func wingman(t testing.TB) []*stack.Stack {
	t.Helper()
	sts, errs := stack.LoadDeployments([]string{"testdata/wingman"}, stack.MaxFileSize, stack.DiscoverOptions{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return sts
}

// TestWingmanReport keeps docs/report-wingman.md equal to the report of
// the capacity report's own stack (go test ./report -update rewrites it),
// and checks it has the seed report's sections with derived numbers.
func TestWingmanReport(t *testing.T) {
	t.Chdir("..")
	r := Build(wingman(t), Options{Assumptions: DefaultAssumptions(), Rules: rules.All()})
	var b bytes.Buffer
	if err := Markdown(&b, r); err != nil {
		t.Fatal(err)
	}
	const path = "docs/report-wingman.md"
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		t.Errorf("%s is out of date; run go test ./report -update and read the diff", path)
	}
	got := b.String()
	for _, section := range []string{"## Overview", "## Current configuration", "## Estimated capacity", "## Bottlenecks", "## Phases", "### Phase 1", "### Phase 2", "### Phase 3", "## Monitoring"} {
		if !strings.Contains(got, "\n"+section+"\n") {
			t.Errorf("the report lacks %q", section)
		}
	}
	d := r.Deployments[0]
	web := d.Services[0]
	if web.Name != "web" || web.ProcessesN != 3 || web.Saturates != Database {
		t.Errorf("wingman's web: %s, %d processes, saturates %s; want web, 3 (--workers 3), database (107 connections claimed of 97)", web.Name, web.ProcessesN, web.Saturates)
	}
	// HR201's pool is unsafe on this stack (4 connections per process
	// would starve celery_ai's 100 greenlets), so phase 1's safe fixes
	// make no room in the PostgreSQL budget and HR101 keeps 3 workers.
	found := false
	for _, b := range d.Bottlenecks {
		found = found || b.Rule == "HR201"
	}
	if !found {
		t.Errorf("the bottlenecks lack HR201 (no connection reuse, the database saturates first)")
	}
	p1 := r.Phases[0].Deployments[0]
	if p1.Services[0].ProcessesN != 3 {
		t.Errorf("phase 1: web processes %d; want 3: the unsafe pool makes no room for more", p1.Services[0].ProcessesN)
	}
}

// TestPhasesWriteNothing: the phases apply fixes in memory only.
func TestPhasesWriteNothing(t *testing.T) {
	t.Chdir("..")
	sum := func() string {
		h := sha256.New()
		filepath.WalkDir("testdata/wingman", func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				b, _ := os.ReadFile(p)
				fmt.Fprintf(h, "%s %x\n", p, sha256.Sum256(b))
			}
			return nil
		})
		return fmt.Sprintf("%x", h.Sum(nil))
	}
	before := sum()
	r := Build(wingman(t), Options{Assumptions: DefaultAssumptions(), Rules: rules.All()})
	if len(r.Phases[0].Deployments[0].Applied) == 0 {
		t.Fatal("phase 1 applied nothing: the test would prove nothing")
	}
	if sum() != before {
		t.Error("building the report changed files of testdata/wingman")
	}
}

// TestJSONSchema holds the JSON output to report.schema.json, and the
// schema to the output: a document missing a field fails it.
func TestJSONSchema(t *testing.T) {
	schema := schematest.Compile(t, "../report.schema.json")
	t.Chdir("..")
	var b bytes.Buffer
	if err := JSON(&b, Build(wingman(t), Options{Assumptions: DefaultAssumptions(), Rules: rules.All()})); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(t, b.Bytes()); err != nil {
		t.Fatalf("the wingman report does not validate: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	svc := doc["deployments"].([]any)[0].(map[string]any)["services"].([]any)[0].(map[string]any)
	delete(svc, "throughput_rps")
	broken, _ := json.Marshal(doc)
	if schema.Validate(t, broken) == nil {
		t.Error("a service without throughput_rps validates: the schema does not hold the output")
	}
	var empty bytes.Buffer
	JSON(&empty, Build(nil, Options{Assumptions: DefaultAssumptions()}))
	if err := schema.Validate(t, empty.Bytes()); err != nil {
		t.Errorf("the report of no deployment does not validate: %v", err)
	}
}

// TestHTMLSelfContained: no script, no URL, a policy that blocks loads.
func TestHTMLSelfContained(t *testing.T) {
	t.Chdir("..")
	var b bytes.Buffer
	if err := HTML(&b, Build(wingman(t), Options{Assumptions: DefaultAssumptions(), Rules: rules.All()})); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "http://", "https://", "<link", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the HTML report contains %q", bad)
		}
	}
	if !strings.Contains(page, `content="default-src 'none'; style-src 'unsafe-inline'"`) {
		t.Error("the HTML report has no Content Security Policy blocking loads")
	}
	if n := strings.Count(page, `<svg class="chart"`); n != 2 {
		t.Errorf("%d charts, want 2 (throughput per phase, connections against limits)", n)
	}
}

// TestDeterministicAndPerDeployment: two deployments of one monorepo get
// a report each, phases included, and building twice renders the same
// bytes (the bottlenecks are evaluated in parallel).
func TestDeterministicAndPerDeployment(t *testing.T) {
	root := t.TempDir()
	for name, workers := range map[string]int{"api": 2, "admin": 5} {
		dir := filepath.Join(root, name)
		os.MkdirAll(filepath.Join(dir, "app"), 0o755)
		os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(fmt.Sprintf("services:\n  web:\n    build: .\n    command: gunicorn app.wsgi -w %d\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings\n  db:\n    image: postgres:16\n", workers)), 0o644)
		os.WriteFile(filepath.Join(dir, "app", "settings.py"), []byte(settings), 0o644)
	}
	sts, errs := stack.LoadDeployments([]string{root}, stack.MaxFileSize, stack.DiscoverOptions{})
	if len(errs) > 0 || len(sts) != 2 {
		t.Fatalf("%d deployments, errors %v", len(sts), errs)
	}
	render := func() (string, *Report) {
		r := Build(sts, Options{Assumptions: DefaultAssumptions(), Rules: rules.All()})
		var b bytes.Buffer
		JSON(&b, r)
		Markdown(&b, r)
		return b.String(), r
	}
	first, r := render()
	if second, _ := render(); second != first {
		t.Error("two builds of the same stacks render differently")
	}
	for p, ph := range r.Phases {
		if len(ph.Deployments) != 2 {
			t.Fatalf("phase %d has %d deployments, want 2", p+1, len(ph.Deployments))
		}
		for i, pd := range ph.Deployments {
			if pd.Root != r.Deployments[i].Root {
				t.Errorf("phase %d deployment %d is %s, want %s", p+1, i, pd.Root, r.Deployments[i].Root)
			}
		}
	}
	got := map[string]int{}
	for _, d := range r.Deployments {
		got[filepath.Base(d.Root)] = *d.Services[0].InFlight
	}
	if got["api"] != 2 || got["admin"] != 5 {
		t.Errorf("in flight per deployment %v, want api 2, admin 5", got)
	}
	if !strings.Contains(first, "### Deployment `") && !strings.Contains(first, "## Deployment `") {
		t.Error("the Markdown does not name each deployment")
	}
}

// TestNginxFixesChangeNoEstimate: the bottlenecks skip applying fixes of
// nginx files alone, since the model reads none; applied, they change no
// service and no budget.
func TestNginxFixesChangeNoEstimate(t *testing.T) {
	t.Chdir("..")
	st := wingman(t)[0]
	d := deployment(st, DefaultAssumptions())
	n := 0
	for _, dg := range driver.Run(st, rules.All()) {
		f := dg.SafeFix()
		if f == nil || readByModel(d, f) {
			continue
		}
		n++
		next, err := driver.Apply(st, *f)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(d.Services)
		after := deployment(next, DefaultAssumptions())
		b, _ := json.Marshal(after.Services)
		ba, _ := json.Marshal(d.Budgets)
		bb, _ := json.Marshal(after.Budgets)
		if !bytes.Equal(a, b) || !bytes.Equal(ba, bb) {
			t.Errorf("%s's nginx fix changes the model", dg.Rule.ID)
		}
	}
	if n == 0 {
		t.Fatal("wingman has no nginx fix: the test checks nothing")
	}
}

// TestHeldFix: a safe fix the budget planner holds back is reported with
// its reason, in the phase that held it and on its bottleneck.
func TestHeldFix(t *testing.T) {
	s := stackOf(t, map[string]string{
		"docker-compose.yml": `services:
  web:
    build: .
    command: gunicorn app.wsgi -w 8 --max-requests 1000 --max-requests-jitter 50 --timeout 60 --access-logfile -
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  worker:
    build: .
    command: celery -A app worker -Q heavy --concurrency=2 --prefetch-multiplier=1
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  db:
    image: postgres:16
    command: postgres -c max_connections=13
`,
		"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True, "OPTIONS": {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 5}}}
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_TASK_ROUTES = {"app.tasks.heavy": {"queue": "heavy"}}
`})
	r := build(t, s, DefaultAssumptions())
	var b *Bottleneck
	for i := range r.Deployments[0].Bottlenecks {
		if r.Deployments[0].Bottlenecks[i].Rule == "HR602" {
			b = &r.Deployments[0].Bottlenecks[i]
		}
	}
	if b == nil || b.Fix.Status != "held" || !strings.Contains(b.Fix.Description, "over the limit of 10") {
		t.Fatalf("HR602's fix: %+v; want held, over the 10 usable connections", b)
	}
	held := r.Phases[2].Deployments[0].Held
	if len(held) != 1 || held[0].Rule != "HR602" {
		t.Errorf("phase 3 held %+v, want HR602", held)
	}
	if len(r.Phases[0].Deployments[0].Held) != 0 {
		t.Errorf("phase 1 held %+v, want nothing (HR602 is phase 3)", r.Phases[0].Deployments[0].Held)
	}
}

// TestNoWebService: a deployment of workers only says it has no web
// throughput, draws no empty chart, and its JSON validates.
func TestNoWebService(t *testing.T) {
	s := stackOf(t, map[string]string{"docker-compose.yml": "services:\n  worker:\n    build: .\n    command: celery -A app worker --concurrency=4\n"})
	r := build(t, s, DefaultAssumptions())
	var md, js, page bytes.Buffer
	Markdown(&md, r)
	JSON(&js, r)
	HTML(&page, r)
	if !strings.Contains(md.String(), "No service of this deployment serves HTTP") || strings.Contains(page.String(), "<svg") {
		t.Errorf("a deployment without web service:\n%s", md.String())
	}
	if d := r.Deployments[0]; d.WebThroughputRPS != nil || d.Services[0].Role != "worker" || *d.Services[0].InFlight != 4 {
		t.Errorf("workers only: web %v, role %s, in flight %v", deref(d.WebThroughputRPS), d.Services[0].Role, deref(d.Services[0].InFlight))
	}
	if err := schematest.Compile(t, "../report.schema.json").Validate(t, js.Bytes()); err != nil {
		t.Error(err)
	}
}
