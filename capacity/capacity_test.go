package capacity_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

func load(t *testing.T, dir string) *stack.Stack {
	t.Helper()
	s, errs := stack.Load([]string{dir}, 0)
	for _, err := range errs {
		t.Fatal(err)
	}
	return s
}

func unit(t *testing.T, m *capacity.Model, service string) *capacity.Unit {
	t.Helper()
	for _, u := range m.Units {
		if u.Service == service {
			return u
		}
	}
	t.Fatalf("no unit %q", service)
	return nil
}

// TestWingman is the report's stack: web 3 Uvicorn workers + daphne 1 +
// celery_ai 100 greenlets + celery_heavy 2 prefork + celery_beat 1 = at
// least 107 connections against the 97 an outside PostgreSQL (assumed
// default) leaves.
func TestWingman(t *testing.T) {
	m := capacity.Of(load(t, "../testdata/wingman"))
	want := map[string]struct {
		server      capacity.Server
		procs, conc int
	}{
		"web":          {capacity.Gunicorn, 3, 1},
		"daphne":       {capacity.Daphne, 1, 1},
		"celery_ai":    {capacity.CeleryWorker, 1, 100},
		"celery_heavy": {capacity.CeleryWorker, 2, 1},
		"celery_beat":  {capacity.CeleryBeat, 1, 1},
	}
	if len(m.Units) != len(want) {
		t.Errorf("%d units, want %d", len(m.Units), len(want))
	}
	for svc, w := range want {
		u := unit(t, m, svc)
		if u.Server != w.server || u.Processes.N != w.procs || u.Concurrency.N != w.conc {
			t.Errorf("%s: %s %d x %d, want %s %d x %d", svc, u.Server, u.Processes.N, u.Concurrency.N, w.server, w.procs, w.conc)
		}
	}
	if u := unit(t, m, "web"); u.Processes.From.Path() != "../testdata/wingman/Dockerfile" || u.Processes.From.Line() != 19 || !u.ASGI {
		t.Errorf("web's workers read from %s, ASGI %v", u.Processes.From, u.ASGI)
	}
	if u := unit(t, m, "celery_ai"); u.WorkerClass != "gevent" || u.Greenlets.N != 100 || u.Postgres[0].Mode != capacity.PGGreenlet {
		t.Errorf("celery_ai: %s, %d greenlets, %s", u.WorkerClass, u.Greenlets.N, u.Postgres[0].Mode)
	}
	b, ok := m.Budget("postgres:host.docker.internal")
	if !ok {
		t.Fatalf("no PostgreSQL budget: %v", m.Budgets())
	}
	if b.Used != 107 || !b.Lower || b.Usable() != 97 || !b.Assumed || !b.Over() || len(b.Terms) != 5 {
		t.Errorf("PostgreSQL budget: %d (lower %v) of %d usable, assumed %v, over %v, %d terms", b.Used, b.Lower, b.Usable(), b.Assumed, b.Over(), len(b.Terms))
	}
	if !b.LimitFrom.Default || !strings.Contains(b.LimitFrom.What, "not in this stack") {
		t.Errorf("the limit's source: %s", b.LimitFrom)
	}
	r, ok := m.Budget("redis:redis")
	if !ok || r.Over() || r.Assumed || r.Limit != 10000 {
		t.Errorf("Redis budget: %+v", r)
	}
	// The gevent worker holds min(cap, 100) of each client; a sync-like
	// process holds one of each; each worker container adds its consumer's
	// own 10 (consumer, remote control, mingle, events, gossip: 2 each).
	for _, term := range r.Terms {
		switch term.Unit.Service {
		case "celery_ai":
			if term.PerProcess != 100+10+100+100 {
				t.Errorf("celery_ai holds %d Redis connections", term.PerProcess)
			}
		case "celery_heavy":
			if term.PerProcess != 4 || term.N != 8+10 {
				t.Errorf("celery_heavy holds %d per process, %d in all", term.PerProcess, term.N)
			}
		}
	}
	// The derived target of web: the database budget has no room.
	tg := m.WorkerTarget(unit(t, m, "web"), 8, false)
	if tg.Binding == nil || tg.Binding.Budget != "postgres:host.docker.internal" || tg.N != 0 {
		t.Errorf("web's target: %+v", tg)
	}
}

// TestOneResolver: a worker count set in an env_file, or in the
// gunicorn.conf.py gunicorn reads by default, is the count every budget
// uses.
func TestOneResolver(t *testing.T) {
	for _, tc := range []struct{ dir, path string }{
		{"web-concurrency-env-file", ".env"},
		{"gunicorn-conf-workers", "gunicorn.conf.py"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			dir := "../testdata/realworld/" + tc.dir
			m := capacity.Of(load(t, dir))
			u := unit(t, m, "web")
			if u.Processes.N != 120 || !u.Processes.Known || u.Processes.From.Path() != dir+"/"+tc.path {
				t.Errorf("web runs %d workers (known %v) read from %s", u.Processes.N, u.Processes.Known, u.Processes.From)
			}
			b, ok := m.Budget("postgres:db")
			if !ok || b.Used != 120 || b.Lower || b.Assumed || !b.Over() {
				t.Errorf("PostgreSQL budget: %+v", b)
			}
		})
	}
}

// TestRealWorld checks what the model reads on the real-world stacks.
func TestRealWorld(t *testing.T) {
	want := map[string]map[string]int{ // stack -> unit -> processes
		"cmd-args-compose-env":             {"web": 3},
		"compose-interpolation-dotenv":     {"web": 3},
		"compose-override-file":            {"web": 2},
		"cookiecutter-start-script":        {"django": 4},
		"celery-worker-script":             {"celeryworker": 10, "django": 8},
		"gunicorn-conf-env-default":        {"../testdata/realworld/gunicorn-conf-env-default/Dockerfile": 2},
		"nginx-gthread-from-config":        {"web": 8},
		"python-config-module-compose-env": {"web": 3},
		"uwsgi-quiet":                      {"../testdata/realworld/uwsgi-quiet/Dockerfile": 2},
		// 2 x cpu_count() + 1 on the model's assumed host of 4 CPUs.
		"gunicorn-conf-cpu-count": {"../testdata/realworld/gunicorn-conf-cpu-count/Dockerfile": 9},
		// The image's entrypoint script, with the service's environment.
		"compose-image-by-name": {"web_recipes": 2},
		"daphne-channels":       {"web": 1, "worker": 1},
	}
	dirs, err := filepath.Glob("../testdata/realworld/*")
	if err != nil || len(dirs) < 20 {
		t.Fatal(err, len(dirs))
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			m := capacity.Of(load(t, dir))
			seen := map[string]bool{}
			for _, u := range m.Units {
				if seen[u.Key()] {
					t.Errorf("unit %s twice", u.Key())
				}
				seen[u.Key()] = true
				for _, c := range []capacity.Count{u.Replicas, u.Processes, u.Concurrency} {
					if c.From.What == "" {
						t.Errorf("%s: a count without its source", u.Service)
					}
					if !c.From.Default && c.From.Doc == nil {
						t.Errorf("%s: %s is neither read nor a default", u.Service, c.From.What)
					}
				}
			}
			bs := m.Budgets()
			for i := 1; i < len(bs); i++ {
				if bs[i-1].Key >= bs[i].Key {
					t.Errorf("budgets not sorted by a unique key: %s, %s", bs[i-1].Key, bs[i].Key)
				}
			}
			for svc, n := range want[name] {
				if u := unit(t, m, svc); u.Processes.N != n {
					t.Errorf("%s: %d processes, want %d (%s)", svc, u.Processes.N, n, u.Processes.From)
				}
			}
		})
	}
}

func parse(t *testing.T, files map[string]string) *stack.Stack {
	t.Helper()
	var fs []*stack.File
	for p, src := range files {
		doc := parsers.NewDocument(p, parsers.Detect(p, []byte(src)), []byte(src))
		f, err := stack.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	return stack.New(fs)
}

// TestLimits: replicas (deploy.replicas, scale), CPU and memory limits,
// max_connections and maxclients from the servers' command lines, Django's
// pool and PgBouncer.
func TestLimits(t *testing.T) {
	s := parse(t, map[string]string{
		"docker-compose.yml": `services:
  web:
    build: .
    command: gunicorn app.wsgi -w 16 --threads 4
    scale: 2
    deploy:
      resources:
        limits: {cpus: "1.5", memory: 1g}
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  worker:
    build: .
    command: celery -A app worker --pool=gevent --concurrency=50
    mem_limit: 512m
    cpus: 0.5
  db:
    image: postgres:16
    command: postgres -N 300 -c superuser_reserved_connections=5
  redis:
    image: redis:7
    command: redis-server --maxclients 100
`,
		"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db",
    "OPTIONS": {"pool": {"min_size": 2, "max_size": 6}}}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://redis:6379/1",
    "OPTIONS": {"max_connections": 20}}}
`,
	})
	m := capacity.Of(s)
	web, worker := unit(t, m, "web"), unit(t, m, "worker")
	if web.Replicas.N != 2 || web.Processes.N != 16 || web.Concurrency.N != 4 || web.WorkerClass != "gthread" {
		t.Errorf("web: %d x %d x %d %s", web.Replicas.N, web.Processes.N, web.Concurrency.N, web.WorkerClass)
	}
	if web.CPUs == nil || web.CPUs.Value != 1.5 || web.Memory == nil || web.Memory.Value != 1<<30 {
		t.Errorf("web's limits: %+v %+v", web.CPUs, web.Memory)
	}
	if worker.Memory == nil || worker.Memory.Value != 512<<20 {
		t.Errorf("worker's memory: %+v", worker.Memory)
	}
	// Pool: web holds clamp(4, 2, 6) = 4 per process, the gevent worker 6.
	pg, ok := m.Budget("postgres:db")
	if !ok || pg.Limit != 300 || pg.Reserved != 5 || pg.Used != 2*16*4+6 || pg.Assumed {
		t.Errorf("PostgreSQL budget: %+v", pg)
	}
	rd, _ := m.Budget("redis:redis")
	if rd.Limit != 100 || rd.Used != 2*16*4+20 || !rd.Over() {
		t.Errorf("Redis budget: %+v", rd)
	}
	cpu, _ := m.Budget("cpu:web")
	if cpu.Limit != 4 || cpu.Used != 16 || !cpu.Over() {
		t.Errorf("CPU budget of web: %+v", cpu)
	}
	if c, _ := m.Budget("cpu:worker"); c.Limit != 2 {
		t.Errorf("2 x 0.5 CPUs + 1 is 2, not rounded up first: %d", c.Limit)
	}
	mem, _ := m.Budget("memory:worker")
	if mem.Limit != 512 || mem.Used != capacity.DefaultWorkerMemoryMB {
		t.Errorf("memory budget of worker: %+v", mem)
	}
	tg := m.WorkerTarget(web, 8, false)
	if tg.N != 4 || tg.Binding == nil || tg.Binding.Budget != "cpu:web" {
		t.Errorf("web's target: %+v", tg)
	}
	if tg := capacity.With(s, capacity.Options{WorkerMemoryMB: 400}).WorkerTarget(web, 8, false); tg.N != 2 || tg.Binding.Budget != "memory:web" {
		t.Errorf("web's target at 400 MiB a worker: %+v", tg)
	}
}

func TestPgBouncer(t *testing.T) {
	s := parse(t, map[string]string{
		"docker-compose.yml": `services:
  web:
    build: .
    command: gunicorn app.wsgi -w 200
  pgbouncer:
    image: edoburu/pgbouncer
`,
		"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "pgbouncer"}}
`,
	})
	m := capacity.Of(s)
	if u := unit(t, m, "web"); len(u.Postgres) != 1 || u.Postgres[0].Mode != capacity.PGBouncer {
		t.Fatalf("web: %+v", u.Postgres)
	}
	// The 200 workers are PgBouncer's clients, past its default
	// max_client_conn; PgBouncer holds its default_pool_size (20) of
	// PostgreSQL, assumed as the stack runs none.
	if b, ok := m.Budget("pgbouncer:pgbouncer"); !ok || b.Used != 200 || b.Limit != capacity.BouncerMaxClientConn || !b.Over() {
		t.Errorf("PgBouncer's clients: %+v", b)
	}
	if b, ok := m.Budget("postgres:"); !ok || b.Used != capacity.BouncerPoolSize || len(b.Terms) != 1 || b.Terms[0].Unit.Server != capacity.PgBouncerServer || !b.Assumed {
		t.Errorf("PostgreSQL behind PgBouncer: %+v", b)
	}
	var assumed []string
	for _, a := range m.Assumptions() {
		assumed = append(assumed, a.What)
	}
	if got := strings.Join(assumed, "; "); !strings.Contains(got, "default_pool_size of PgBouncer pgbouncer") || !strings.Contains(got, "pool_mode of PgBouncer pgbouncer") {
		t.Errorf("PgBouncer's defaults are not listed as assumed: %s", got)
	}
}

// TestPgBouncerPool: PgBouncer holds min(default_pool_size, its clients)
// server connections per database and user, read from edoburu's or
// bitnami's environment or a mounted pgbouncer.ini, and the PostgreSQL
// behind it counts them beside the 11 connections of the alias that
// reaches it directly.
func TestPgBouncerPool(t *testing.T) {
	for name, c := range map[string]struct {
		bouncer string
		ini     string
		want    int
		mode    string
	}{
		"edoburu": {bouncer: `    image: edoburu/pgbouncer:1.18.0
    environment:
      DB_HOST: db
      POOL_MODE: transaction
      DEFAULT_POOL_SIZE: "5"
`, want: 5 + 11, mode: "transaction"},
		"bitnami reserve": {bouncer: `    image: bitnami/pgbouncer
    environment:
      - POSTGRESQL_HOST=db
      - PGBOUNCER_DEFAULT_POOL_SIZE=5
      - PGBOUNCER_RESERVE_POOL_SIZE=2
`, want: 7 + 11, mode: "session"},
		"fewer clients than the default pool": {bouncer: `    image: edoburu/pgbouncer
    environment:
      DB_HOST: db
`, want: 11 + 11, mode: "session"},
		"ini": {bouncer: `    image: pgbouncer/pgbouncer
    volumes:
      - INI:/etc/pgbouncer/pgbouncer.ini:ro
`, ini: ("[databases]\napp = host=db dbname=app\n[pgbouncer]\npool_mode = transaction\ndefault_pool_size = 4 ; per pair\nmax_db_connections = 3\n"),
			want: 3 + 11, mode: "transaction"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{
				"docker-compose.yml": `services:
  worker:
    build: .
    command: celery -A app worker --pool=prefork --concurrency=8
  web:
    build: .
    command: gunicorn app.wsgi -w 3
  pgbouncer:
` + c.bouncer + `  db:
    image: postgres:15
`,
				"app/settings.py": `DATABASES = {
    "default": {"ENGINE": "django.db.backends.postgresql", "HOST": "pgbouncer", "NAME": "app", "USER": "app"},
    "direct": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "NAME": "app", "USER": "app"},
}
`,
			}
			if c.ini != "" {
				// mounted by its absolute path: the model reads it from disk
				ini := filepath.Join(t.TempDir(), "pgbouncer.ini")
				if err := os.WriteFile(ini, []byte(c.ini), 0o644); err != nil {
					t.Fatal(err)
				}
				files["docker-compose.yml"] = strings.Replace(files["docker-compose.yml"], "INI", filepath.ToSlash(ini), 1)
			}
			m := capacity.Of(parse(t, files))
			b, ok := m.Budget("postgres:db")
			if !ok || b.Used != c.want {
				t.Fatalf("postgres:db: %+v, want %d", b, c.want)
			}
			if bn := m.Bouncer("pgbouncer"); bn == nil || bn.Mode != c.mode || bn.Transaction() != (c.mode == "transaction") {
				t.Errorf("pool_mode: %+v, want %s", bn, c.mode)
			}
			if cb, ok := m.Budget("pgbouncer:pgbouncer"); !ok || cb.Used != 11 {
				t.Errorf("PgBouncer's clients: %+v, want the worker's 8 and web's 3", cb)
			}
		})
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"512m": 512 << 20, "1G": 1 << 30, "1gb": 1 << 30, "2048": 2048, "100k": 100 << 10, "1.5g": 3 << 29} {
		if n, ok := capacity.ParseBytes(in); !ok || n != want {
			t.Errorf("%s: %d, want %d", in, n, want)
		}
	}
	if _, ok := capacity.ParseBytes("lots"); ok {
		t.Error("lots is not a size")
	}
}

// TestServers: uvicorn's workers from UVICORN_WORKERS (over
// WEB_CONCURRENCY), granian's and uWSGI's counts, celery -B and
// --autoscale, a count nobody can read.
func TestServers(t *testing.T) {
	s := parse(t, map[string]string{
		"docker-compose.yml": `services:
  asgi:
    image: app
    command: uvicorn app.asgi:application --host 0.0.0.0
    environment:
      UVICORN_WORKERS: "6"
      WEB_CONCURRENCY: "2"
  granian:
    image: app
    command: granian --interface wsgi --workers 3 app.wsgi:application
  uwsgi:
    image: app
    command: uwsgi --http :8000 --processes 4 --threads 2 --module app.wsgi
  worker:
    image: app
    command: celery -A app worker -B --autoscale 10,2
  host:
    image: app
    command: celery -A app worker
  var:
    image: app
    command: gunicorn app.wsgi -w $WORKERS
`,
	})
	m := capacity.Of(s)
	for _, tc := range []struct {
		svc         string
		server      capacity.Server
		procs, conc int
		known       bool
	}{
		{"asgi", capacity.Uvicorn, 6, 1, true},
		{"granian", capacity.Granian, 3, 1, true},
		{"uwsgi", capacity.UWSGI, 4, 2, true},
		{"worker", capacity.CeleryWorker, 11, 1, true},
		{"host", capacity.CeleryWorker, capacity.AssumedHostCPUs, 1, false},
		{"var", capacity.Gunicorn, 1, 1, false},
	} {
		u := unit(t, m, tc.svc)
		if u.Server != tc.server || u.Processes.N != tc.procs || u.Concurrency.N != tc.conc || u.Processes.Known != tc.known {
			t.Errorf("%s: %s %d (known %v) x %d, want %s %d (known %v) x %d (%s)", tc.svc, u.Server, u.Processes.N, u.Processes.Known, u.Concurrency.N, tc.server, tc.procs, tc.known, tc.conc, u.Processes.From)
		}
	}
	if u := unit(t, m, "host"); !u.HostSized || !strings.Contains(u.Processes.From.What, "assumed") || !strings.Contains(u.Processes.From.What, "infrastructure.services.host.cpus") {
		t.Errorf("host: sized by the host %v, from %s", u.HostSized, u.Processes.From)
	}
	if u := unit(t, m, "worker"); u.HostSized {
		t.Error("worker: --autoscale sizes its pool, not the host")
	}
	if u := unit(t, m, "asgi"); !strings.Contains(u.Processes.From.What, "UVICORN_WORKERS") || u.Processes.From.Line() != 6 {
		t.Errorf("uvicorn's workers read from %s", u.Processes.From)
	}
}

// TestCompare: budgets of two models of a stack compare by key.
func TestCompare(t *testing.T) {
	before := capacity.Of(load(t, "../testdata/wingman")).Budgets()
	after := capacity.Index(before)
	b := after["postgres:host.docker.internal"]
	if b.Room() != 97-107 {
		t.Errorf("room %d", b.Room())
	}
	worse := b
	worse.Used++
	if !capacity.Worse(b, worse) || capacity.Worse(b, b) {
		t.Error("Worse")
	}
	m := capacity.Of(load(t, "../testdata/wingman"))
	if term, ok := b.Term(unit(t, m, "celery_ai")); !ok || term.N != 100 {
		t.Errorf("celery_ai's share: %+v", term)
	}
}

// TestCelerySettingsConcurrency: a worker whose command line does not size
// its pool takes CELERY_WORKER_CONCURRENCY from the settings.
func TestCelerySettingsConcurrency(t *testing.T) {
	s := parse(t, map[string]string{
		"docker-compose.yml": `services:
  worker:
    image: app
    command: celery -A app worker
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  green:
    image: app
    command: celery -A app worker -P gevent
`,
		"app/settings.py": `CELERY_WORKER_CONCURRENCY = 6
`,
	})
	m := capacity.Of(s)
	if u := unit(t, m, "worker"); u.Processes.N != 6 || !u.Processes.Known || u.Processes.From.Path() != "app/settings.py" {
		t.Errorf("worker: %d processes from %s", u.Processes.N, u.Processes.From)
	}
	if u := unit(t, m, "green"); u.Greenlets.N != 6 || u.Concurrency.N != 6 || u.Processes.N != 1 {
		t.Errorf("green: %d x %d", u.Processes.N, u.Greenlets.N)
	}
}

// TestMountedConf: max_connections and maxclients from configuration
// files the servers' services mount; a mounted file that cannot be read
// leaves the limit unknown.
func TestMountedConf(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"docker-compose.yml": `services:
  web:
    build: .
    command: gunicorn app.wsgi -w 40 -k gevent --worker-connections 10
  db:
    image: postgres:16
    command: postgres -c config_file=/etc/postgresql/postgresql.conf
    volumes:
      - ./db/postgresql.conf:/etc/postgresql/postgresql.conf:ro
  redis:
    image: redis:7
    command: redis-server /usr/local/etc/redis/redis.conf
    volumes:
      - ./redis.conf:/usr/local/etc/redis/redis.conf
  cache:
    image: redis:7
    volumes:
      - ./missing/redis.conf:/usr/local/etc/redis/redis.conf
`,
		"db/postgresql.conf": "# max_connections = 50\nmax_connections = 300\t# raised\nshared_buffers = 1GB\n",
		"redis.conf":         "maxclients 200\nappendonly yes\n",
		"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://redis:6379/1"},
          "other": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/1"}}
`,
		"Dockerfile": "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=app.settings\n",
	}
	for p, src := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := capacity.Of(load(t, dir))
	pg, ok := m.Budget("postgres:db")
	if !ok || pg.Limit != 300 || !pg.LimitKnown || pg.LimitFrom.Line() != 2 || !strings.HasSuffix(pg.LimitFrom.Path(), "db/postgresql.conf") || pg.Used != 400 || !pg.Over() {
		t.Errorf("PostgreSQL budget: %+v", pg)
	}
	rd, ok := m.Budget("redis:redis")
	if !ok || rd.Limit != 200 || !rd.LimitKnown || rd.Used != 400 || !rd.Over() {
		t.Errorf("Redis budget: %+v", rd)
	}
	if c, ok := m.Budget("redis:cache"); !ok || c.LimitKnown {
		t.Errorf("an unreadable redis.conf leaves the limit unknown: %+v", c)
	}
}

// TestHostSizedPool: a celery worker no option sizes runs one prefork
// child (or greenlet, or thread) per CPU of the model's assumed host,
// plus the beat it embeds; the PostgreSQL budget counts them.
func TestHostSizedPool(t *testing.T) {
	s := parse(t, map[string]string{
		"docker-compose.yml": `services:
  worker:
    image: app
    command: celery -A app worker -B
  green:
    image: app
    command: celery -A app worker -P gevent
  solo:
    image: app
    command: celery -A app worker -P solo
  db:
    image: postgres:16
`,
		"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
`,
	})
	m := capacity.Of(s)
	if u := unit(t, m, "worker"); u.Processes.N != capacity.AssumedHostCPUs+1 || u.Processes.Known || !strings.Contains(u.Processes.From.What, "beat") {
		t.Errorf("worker: %d processes from %s", u.Processes.N, u.Processes.From)
	}
	if u := unit(t, m, "green"); u.Greenlets.N != capacity.AssumedHostCPUs || u.Concurrency.N != capacity.AssumedHostCPUs || u.Processes.N != 1 {
		t.Errorf("green: %d x %d", u.Processes.N, u.Greenlets.N)
	}
	if u := unit(t, m, "solo"); u.HostSized || u.Processes.N != 1 {
		t.Errorf("solo: %d processes, host sized %v", u.Processes.N, u.HostSized)
	}
	b, ok := m.Budget("postgres:db")
	if want := 2*capacity.AssumedHostCPUs + 1 + 1; !ok || b.Used != want || !b.Lower {
		t.Errorf("PostgreSQL budget: %d (lower %v), want at least %d", b.Used, b.Lower, want)
	}
	keys := func(m *capacity.Model) string {
		var ks []string
		for _, a := range m.Assumptions() {
			ks = append(ks, a.Key)
		}
		return strings.Join(ks, " ")
	}
	if k := keys(m); !strings.Contains(k, "infrastructure.services.worker.cpus") || !strings.Contains(k, "infrastructure.services.green.cpus") {
		t.Errorf("the host's CPUs are not listed as assumed: %s", k)
	}
	// Declared CPUs replace the assumed host size, and leave the
	// assumptions.
	in := &capacity.Infrastructure{Path: ".headroom.yaml", Services: map[string]capacity.ServiceDecl{"worker": {CPUs: capacity.Declared{Value: 2, Line: 3}}}}
	d := capacity.With(s, capacity.Options{Infra: in})
	if u := unit(t, d, "worker"); u.Processes.N != 3 || !u.Processes.Known || !strings.Contains(u.Processes.From.String(), ".headroom.yaml:3") {
		t.Errorf("declared worker: %d processes (known %v) from %s", u.Processes.N, u.Processes.Known, u.Processes.From)
	}
	if k := keys(d); strings.Contains(k, "services.worker.cpus") || !strings.Contains(k, "services.green.cpus") {
		t.Errorf("assumptions after declaring worker's CPUs: %s", k)
	}
}

// TestGreenBlocking: gevent with psycopg2 and no wait callback holds one
// connection per process; psycopg 3, or a patch_psycopg() call in any
// Python file of the stack, keeps a connection per greenlet.
func TestGreenBlocking(t *testing.T) {
	files := func(req string, extra map[string]string) map[string]string {
		out := map[string]string{
			"docker-compose.yml": `services:
  green:
    image: app
    command: celery -A app worker -P gevent -c 100
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  web:
    image: app
    command: gunicorn app.wsgi -k gevent -w 2 --worker-connections 50
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  db:
    image: postgres:16
`,
			"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
`,
			"requirements.txt": req,
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		req      string
		extra    map[string]string
		blocking bool
		used     int
	}{
		{"psycopg2", "Django==4.2.16\npsycopg2-binary==2.9.10\n", nil, true, 1 + 2},
		{"psycopg3", "Django==4.2.16\npsycopg[binary]==3.2.3\n", nil, false, 100 + 100},
		{"patched", "Django==4.2.16\npsycopg2==2.9.10\n", map[string]string{"gunicorn.conf.py": "from psycogreen.gevent import patch_psycopg\n\ndef post_fork(server, worker):\n    patch_psycopg()\n"}, false, 100 + 100},
		{"comment", "Django==4.2.16\npsycopg2==2.9.10\n", map[string]string{"gunicorn.conf.py": "# patch_psycopg()\nworkers = 2\n"}, true, 1 + 2},
		{"no driver", "Django==4.2.16\n", nil, false, 100 + 100},
	} {
		m := capacity.Of(parse(t, files(tc.req, tc.extra)))
		for _, svc := range []string{"green", "web"} {
			u := unit(t, m, svc)
			if (u.GreenBlocking != "") != tc.blocking || len(u.Postgres) != 1 || (u.Postgres[0].PerProcess == 1) != tc.blocking {
				t.Errorf("%s, %s: blocking %q, %+v", tc.name, svc, u.GreenBlocking, u.Postgres)
			}
		}
		if b, ok := m.Budget("postgres:db"); !ok || b.Used != tc.used {
			t.Errorf("%s: PostgreSQL budget %d, want %d", tc.name, b.Used, tc.used)
		}
	}
}

// TestGreenHold: a Celery gevent worker whose psycopg2 blocks still holds
// a connection per greenlet where each task stores its result in Redis
// before Celery's Django fixup closes its connection; gunicorn's gevent
// workers, a worker that ignores results or stores them nowhere, keep one
// per process.
func TestGreenHold(t *testing.T) {
	compose := `services:
  green:
    image: app
    command: celery -A app worker -P gevent -c 100
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  web:
    image: app
    command: gunicorn app.wsgi -k gevent -w 2 --worker-connections 50
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  db:
    image: postgres:16
  redis:
    image: redis:7
`
	db := `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "CONN_MAX_AGE": 0}}
`
	for _, tc := range []struct {
		name, settings string
		green          int
	}{
		{"redis backend", db + `CELERY_RESULT_BACKEND = "redis://redis:6379/0"` + "\n", 100},
		{"ignored", db + `CELERY_RESULT_BACKEND = "redis://redis:6379/0"` + "\nCELERY_TASK_IGNORE_RESULT = True\n", 1},
		{"no backend", db, 1},
		{"database backend", db + `CELERY_RESULT_BACKEND = "django-db"` + "\n", 1},
	} {
		m := capacity.Of(parse(t, map[string]string{"docker-compose.yml": compose, "app/settings.py": tc.settings,
			"requirements.txt": "Django==4.2.16\npsycopg2==2.9.10\ncelery[redis]==5.4.0\n"}))
		u := unit(t, m, "green")
		if u.GreenBlocking == "" || len(u.Postgres) != 1 || u.Postgres[0].PerProcess != tc.green {
			t.Errorf("%s: green: blocking %q, %+v, want %d per process", tc.name, u.GreenBlocking, u.Postgres, tc.green)
		}
		if w := unit(t, m, "web"); len(w.Postgres) != 1 || w.Postgres[0].PerProcess != 1 {
			t.Errorf("%s: web: %+v, want 1 per process", tc.name, w.Postgres)
		}
		if b, ok := m.Budget("postgres:db"); !ok || b.Used != tc.green+2 {
			t.Errorf("%s: PostgreSQL budget %d, want %d", tc.name, b.Used, tc.green+2)
		}
	}
}

// TestASGISyncThread: Django pinned below 4.0 runs an ASGI unit's sync
// views on one thread per process (one request and one connection at a
// time, a known count); from 4.0, or where the pin is a range, each
// request may have a thread of its own (a floor of one connection per
// process).
func TestASGISyncThread(t *testing.T) {
	for _, tc := range []struct {
		req    string
		serial bool
	}{
		{"Django==3.2.25\n", true},
		{"Django==3.1.14\n", true},
		{"Django==4.0\n", false},
		{"Django==5.1.4\n", false},
		{"Django>=3.2,<3.3\n", false}, // the lowest allowed is 3.2, but only a pin bounds it from above
		{"", false},
	} {
		m := capacity.Of(parse(t, map[string]string{
			"docker-compose.yml": `services:
  uw:
    image: app
    command: gunicorn app.asgi:application -w 3 -k uvicorn.workers.UvicornWorker
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  daphne:
    image: app
    command: daphne app.asgi:application
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  db:
    image: postgres:16
`,
			"app/settings.py":  `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "CONN_MAX_AGE": 600}}` + "\n",
			"requirements.txt": tc.req,
		}))
		for _, svc := range []string{"uw", "daphne"} {
			u := unit(t, m, svc)
			switch {
			case (u.SyncThread != "") != tc.serial:
				t.Errorf("%q, %s: SyncThread %q", tc.req, svc, u.SyncThread)
			case len(u.Postgres) != 1 || u.Postgres[0].PerProcess != 1 || u.Postgres[0].Lower == tc.serial:
				t.Errorf("%q, %s: connections %+v", tc.req, svc, u.Postgres)
			case u.Concurrency.Known != tc.serial || u.Concurrency.N != 1:
				t.Errorf("%q, %s: concurrency %+v", tc.req, svc, u.Concurrency)
			case tc.serial && (u.Concurrency.From.Line() != 1 || !strings.Contains(u.Concurrency.From.What, "one thread per process")):
				t.Errorf("%q, %s: concurrency read from %+v", tc.req, svc, u.Concurrency.From)
			}
		}
		if b, ok := m.Budget("postgres:db"); !ok || b.Used != 4 || b.Lower == tc.serial {
			t.Errorf("%q: PostgreSQL budget %d (lower %v), want 4 (3 uvicorn workers + daphne)", tc.req, b.Used, b.Lower)
		}
	}
}

// TestPoolCeiling: a budget whose every term is a pool's max_size, with the
// process counts read, is a ceiling ("at most"), even where a worker's
// concurrency is not read; an unpooled term with an unread concurrency
// keeps it a floor ("at least").
func TestPoolCeiling(t *testing.T) {
	for _, tc := range []struct {
		name, settings, web string
		used                int
		bound               string
	}{
		{"pooled", `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "OPTIONS": {"pool": {"max_size": 4}}}}`,
			"gunicorn app.wsgi -w 3 -k app.workers.Custom", 3*4 + 2*4, "at most "},
		{"unpooled", `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}`,
			"gunicorn app.wsgi -w 3 -k app.workers.Custom", 3*1 + 2*1, "at least "},
		{"known", `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}`,
			"gunicorn app.wsgi -w 3 --threads 2", 3*2 + 2*1, ""},
	} {
		m := capacity.Of(parse(t, map[string]string{
			"docker-compose.yml": `services:
  web:
    image: app
    command: ` + tc.web + `
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  worker:
    image: app
    command: celery -A app worker --concurrency 2
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  db:
    image: postgres:16
`,
			"app/settings.py": tc.settings + "\n",
		}))
		b, ok := m.Budget("postgres:db")
		if !ok || b.Used != tc.used || b.Bound() != tc.bound {
			t.Errorf("%s: PostgreSQL budget %q%d (lower %v, ceiling %v), want %q%d", tc.name, b.Bound(), b.Used, b.Lower, b.Ceiling, tc.bound, tc.used)
		}
	}
}

// TestPreforkNoReuse: Celery >= 5.6 closes Django's pool after every task
// in a prefork child, so the child counts one connection, not the pool's
// max_size, and the use says why; Celery 5.5 keeps the pool.
func TestPreforkNoReuse(t *testing.T) {
	for _, tc := range []struct {
		celery string
		per    int
		note   string
	}{
		{"celery==5.6.2", 1, "Celery 5.6.2 closes Django's pool after every task in prefork children"},
		{"celery==5.5.3", 4, ""},
	} {
		m := capacity.Of(parse(t, map[string]string{
			"docker-compose.yml": `services:
  worker:
    image: app
    command: celery -A app worker --concurrency 3
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  db:
    image: postgres:16
`,
			"app/settings.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "OPTIONS": {"pool": {"min_size": 4, "max_size": 8}}}}
`,
			"requirements.txt": "Django==5.1.4\npsycopg[binary,pool]==3.2.3\n" + tc.celery + "\n",
		}))
		u := unit(t, m, "worker")
		if len(u.Postgres) != 1 || u.Postgres[0].PerProcess != tc.per || !strings.HasPrefix(u.Postgres[0].Note, tc.note) || tc.note == "" && u.Postgres[0].Note != "" {
			t.Errorf("%s: %+v", tc.celery, u.Postgres)
		}
		if b, ok := m.Budget("postgres:db"); !ok || b.Used != 3*tc.per {
			t.Errorf("%s: PostgreSQL budget %d, want %d", tc.celery, b.Used, 3*tc.per)
		}
	}
}

// TestEventletNoBoot: gunicorn 26.0.0 removed the eventlet worker, so with
// gunicorn >= 26 pinned a -k eventlet unit starts no worker: it adds
// nothing to the PostgreSQL budget and says why. On 25 it holds a
// connection per greenlet.
func TestEventletNoBoot(t *testing.T) {
	for _, tc := range []struct {
		req    string
		noBoot bool
		used   int
	}{
		{"gunicorn==26.1.0\nDjango==4.2.16\npsycopg[binary]==3.2.3\n", true, 0},
		{"gunicorn>=26\nDjango==4.2.16\npsycopg[binary]==3.2.3\n", true, 0},
		{"gunicorn==25.1.0\nDjango==4.2.16\npsycopg[binary]==3.2.3\n", false, 4 * 50},
		{"Django==4.2.16\npsycopg[binary]==3.2.3\n", false, 4 * 50},
	} {
		m := capacity.Of(parse(t, map[string]string{
			"docker-compose.yml": `services:
  web:
    image: app
    command: gunicorn app.wsgi -k eventlet -w 4 --worker-connections 50
    environment: {DJANGO_SETTINGS_MODULE: app.settings}
  db:
    image: postgres:16
`,
			"app/settings.py":  `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}` + "\n",
			"requirements.txt": tc.req,
		}))
		u := unit(t, m, "web")
		if (u.NoBoot != "") != tc.noBoot || (u.Processes.N == 0) != tc.noBoot {
			t.Errorf("%q: NoBoot %q, %d processes", tc.req, u.NoBoot, u.Processes.N)
		}
		if b, ok := m.Budget("postgres:db"); !ok || b.Used != tc.used {
			t.Errorf("%q: PostgreSQL budget %d, want %d", tc.req, b.Used, tc.used)
		}
	}
}

// TestGreenLeak: CONN_MAX_AGE > 0 under a gevent pool leaves each finished
// greenlet's connection open (measured by make validate-model-celery), so
// the share is a floor that grows; CONN_MAX_AGE 0 and prefork are bounded.
func TestGreenLeak(t *testing.T) {
	for _, tc := range []struct {
		cmd, age string
		leak     bool
	}{
		{"celery -A app worker --pool=gevent --concurrency=100", "600", true},
		{"celery -A app worker --pool=gevent --concurrency=100", "None", true},
		{"celery -A app worker --pool=gevent --concurrency=100", "0", false},
		{"gunicorn app.wsgi -k gevent -w 2 --worker-connections 50", "60", true},
		{"celery -A app worker --pool=prefork --concurrency=4", "600", false},
	} {
		m := capacity.Of(parse(t, map[string]string{
			"docker-compose.yml": "services:\n  worker:\n    image: app\n    command: " + tc.cmd + "\n    environment: {DJANGO_SETTINGS_MODULE: app.settings}\n  db:\n    image: postgres:16\n",
			"app/settings.py":    `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "CONN_MAX_AGE": ` + tc.age + "}}\n",
			"requirements.txt":   "Django==4.2.16\npsycopg[binary]==3.2.3\n",
		}))
		u := unit(t, m, "worker")
		if len(u.Postgres) != 1 || (u.Postgres[0].Leak != "") != tc.leak {
			t.Fatalf("%s, CONN_MAX_AGE %s: %+v, want leak %v", tc.cmd, tc.age, u.Postgres, tc.leak)
		}
		b, ok := m.Budget("postgres:db")
		if !ok || b.Leak != tc.leak || tc.leak && !b.Lower {
			t.Errorf("%s, CONN_MAX_AGE %s: budget leak %v lower %v, want leak %v", tc.cmd, tc.age, b.Leak, b.Lower, tc.leak)
		}
	}
}
