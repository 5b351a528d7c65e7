// Package gen writes synthetic monorepos of Python web backends for the
// benchmarks: many services, each with a Dockerfile, a compose file, an
// nginx.conf, a Django settings module and a requirements file, varied the
// way real stacks vary (gunicorn sync, gthread or Uvicorn workers, bare
// uvicorn, daphne; pooled or unpooled databases; nginx with and without
// keepalive; exec and shell form commands). Around them sit the files a
// real repository also has and discovery must pass over cheaply: app code,
// node_modules, a virtualenv, a gitignored build folder.
//
// Output is a pure function of the options, so benchmark runs compare the
// same trees.
package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options says what to write.
type Options struct {
	// Files is the number of deployment files to write (rounded up to a
	// whole service's worth).
	Files int
	// Seed varies the content; the same seed writes the same tree.
	Seed uint64
	// NoNoise leaves out the files discovery should skip.
	NoNoise bool
}

// PerService is how many deployment files one service gets: a
// Dockerfile, a compose file, an nginx.conf, a settings module, a
// requirements file, and the app's models and views.
const PerService = 7

// Stats describes what Write wrote.
type Stats struct {
	Services        int
	DeploymentFiles int
	DeploymentBytes int64
	NoiseFiles      int
}

// Write writes the monorepo under dir (created if missing).
func Write(dir string, opt Options) (Stats, error) {
	var st Stats
	r := rand.New(rand.NewPCG(opt.Seed, 0x6865616472))
	services := (opt.Files + PerService - 1) / PerService
	if services < 1 {
		services = 1
	}
	put := func(rel, content string, deploy bool) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
		if deploy {
			st.DeploymentFiles++
			st.DeploymentBytes += int64(len(content))
		} else {
			st.NoiseFiles++
		}
		return nil
	}
	if !opt.NoNoise {
		if err := put(".gitignore", "# build output and local state\n/build-cache/\n*.log\n.env\n", false); err != nil {
			return st, err
		}
		if err := put("README.md", "# monorepo\n\nServices live under services/.\n", false); err != nil {
			return st, err
		}
	}
	for i := 0; i < services; i++ {
		s := newService(r, i)
		base := fmt.Sprintf("services/%s", s.name)
		for _, f := range []struct{ rel, content string }{
			{"Dockerfile", s.dockerfile()},
			{"docker-compose.yml", s.compose()},
			{"deploy/nginx/nginx.conf", s.nginx()},
			{s.project + "/settings.py", s.settings()},
			{"requirements.txt", s.requirements()},
			{"app/models.py", s.models()},
			{"app/views.py", s.views()},
		} {
			if err := put(base+"/"+f.rel, f.content, true); err != nil {
				return st, err
			}
		}
		st.Services++
		if opt.NoNoise {
			continue
		}
		noise := []struct{ rel, content string }{
			{s.project + "/urls.py", "from django.urls import path\n\nurlpatterns = []\n"},
			{s.project + "/wsgi.py", "import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"" + s.project + ".settings\")\napplication = get_wsgi_application()\n"},
			{"app/apps.py", "from django.apps import AppConfig\n\n\nclass AppConfig(AppConfig):\n    name = \"app\"\n"},
		}
		// Every tenth service carries the folders discovery must not enter.
		if i%10 == 0 {
			noise = append(noise,
				struct{ rel, content string }{"frontend/node_modules/some-pkg/Dockerfile", "FROM node:20\n"},
				struct{ rel, content string }{"frontend/node_modules/some-pkg/package.json", "{\"name\": \"some-pkg\"}\n"},
				struct{ rel, content string }{".venv/pyvenv.cfg", "home = /usr/bin\n"},
				struct{ rel, content string }{".venv/lib/python3.12/site-packages/django/conf/global_settings.py", "DATABASES = {}\nCACHES = {}\n"},
				struct{ rel, content string }{"/build-cache/" + s.name + "/docker-compose.yml", "services: {}\n"},
			)
		}
		for _, f := range noise {
			rel := base + "/" + f.rel
			if strings.HasPrefix(f.rel, "/") {
				rel = strings.TrimPrefix(f.rel, "/")
			}
			if err := put(rel, f.content, false); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// service is one generated stack's choices.
type service struct {
	name, project string
	python        string
	server        string // gunicorn-sync, gunicorn-gthread, gunicorn-uvicorn, uvicorn, daphne
	shellForm     bool
	workers       int
	threads       int
	timeout       int
	maxRequests   int
	connMaxAge    string
	pool          bool
	healthChecks  bool
	redisCache    bool
	channels      bool
	celery        []celeryWorker
	keepalive     bool
	gzip          bool
	buffering     bool
	pgbouncer     bool
	port          int
	django        string
	multiStage    bool
}

type celeryWorker struct {
	queue       string
	pool        string
	concurrency int
}

var (
	words     = []string{"orders", "billing", "search", "chat", "media", "auth", "catalog", "notify", "reports", "inventory", "wingman", "ledger", "feeds", "geo", "pricing"}
	servers   = []string{"gunicorn-sync", "gunicorn-gthread", "gunicorn-uvicorn", "uvicorn", "daphne"}
	pythons   = []string{"3.10", "3.11", "3.12", "3.13"}
	djangos   = []string{"4.2.16", "5.0.9", "5.1.4", "5.2.1"}
	maxAges   = []string{"0", "60", "600", "None", `int(os.environ.get("CONN_MAX_AGE", "60"))`}
	pools     = []string{"prefork", "gevent", "eventlet", "threads"}
	queueName = []string{"default", "heavy", "ai", "email", "reports"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func newService(r *rand.Rand, i int) *service {
	w := pick(r, words)
	s := &service{
		name:         fmt.Sprintf("%s-%04d", w, i),
		project:      w,
		python:       pick(r, pythons),
		server:       pick(r, servers),
		shellForm:    r.IntN(3) == 0,
		workers:      1 + r.IntN(8),
		threads:      1 + r.IntN(8),
		timeout:      []int{0, 30, 60, 120}[r.IntN(4)],
		maxRequests:  []int{0, 0, 1000, 5000}[r.IntN(4)],
		connMaxAge:   pick(r, maxAges),
		pool:         r.IntN(4) == 0,
		healthChecks: r.IntN(2) == 0,
		redisCache:   r.IntN(3) != 0,
		channels:     r.IntN(3) == 0,
		keepalive:    r.IntN(2) == 0,
		gzip:         r.IntN(2) == 0,
		buffering:    r.IntN(4) != 0,
		pgbouncer:    r.IntN(5) == 0,
		port:         8000 + r.IntN(100),
		django:       pick(r, djangos),
		multiStage:   r.IntN(2) == 0,
	}
	for n := r.IntN(4); n > 0; n-- {
		s.celery = append(s.celery, celeryWorker{queue: pick(r, queueName), pool: pick(r, pools), concurrency: 1 + r.IntN(64)})
	}
	return s
}

func (s *service) asgi() bool {
	return s.server == "gunicorn-uvicorn" || s.server == "uvicorn" || s.server == "daphne"
}

// argv is the web server's command line.
func (s *service) argv() []string {
	app := s.project + ".wsgi:application"
	if s.asgi() {
		app = s.project + ".asgi:application"
	}
	bind := fmt.Sprintf("0.0.0.0:%d", s.port)
	var a []string
	switch s.server {
	case "gunicorn-sync", "gunicorn-gthread", "gunicorn-uvicorn":
		a = []string{"gunicorn", app, "--bind", bind, "--workers", fmt.Sprint(s.workers)}
		switch s.server {
		case "gunicorn-gthread":
			a = append(a, "--worker-class", "gthread", "--threads", fmt.Sprint(s.threads))
		case "gunicorn-uvicorn":
			a = append(a, "-k", "uvicorn.workers.UvicornWorker")
		}
		if s.timeout > 0 {
			a = append(a, "--timeout", fmt.Sprint(s.timeout))
		}
		if s.maxRequests > 0 {
			a = append(a, "--max-requests", fmt.Sprint(s.maxRequests), "--max-requests-jitter", fmt.Sprint(s.maxRequests/10))
		}
		a = append(a, "--access-logfile", "-")
	case "uvicorn":
		a = []string{"uvicorn", app, "--host", "0.0.0.0", "--port", fmt.Sprint(s.port), "--workers", fmt.Sprint(s.workers)}
	case "daphne":
		a = []string{"daphne", "-b", "0.0.0.0", "-p", fmt.Sprint(s.port), app}
	}
	return a
}

func (s *service) dockerfile() string {
	var b strings.Builder
	if s.multiStage {
		fmt.Fprintf(&b, "FROM python:%s-slim AS build\n\nWORKDIR /build\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\n", s.python)
	}
	fmt.Fprintf(&b, "FROM python:%s-slim\n\n", s.python)
	fmt.Fprintf(&b, "ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1 \\\n    DJANGO_SETTINGS_MODULE=%s.settings\n\nWORKDIR /app\n\n", s.project)
	if s.multiStage {
		b.WriteString("COPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\n")
	} else {
		b.WriteString("COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n")
	}
	b.WriteString("\nCOPY . .\nRUN python manage.py collectstatic --noinput\n\n")
	fmt.Fprintf(&b, "EXPOSE %d\n\n# Web served by %s.\n", s.port, s.server)
	argv := s.argv()
	if s.shellForm {
		fmt.Fprintf(&b, "CMD %s\n", strings.Join(argv, " "))
	} else {
		q := make([]string, len(argv))
		for i, w := range argv {
			q[i] = `"` + w + `"`
		}
		fmt.Fprintf(&b, "CMD [%s]\n", strings.Join(q, ", "))
	}
	return b.String()
}

func (s *service) compose() string {
	var b strings.Builder
	b.WriteString("services:\n  web:\n    build: .\n    env_file: .env\n    depends_on:\n      - db\n")
	if s.redisCache || s.channels || len(s.celery) > 0 {
		b.WriteString("      - redis\n")
	}
	fmt.Fprintf(&b, "    expose:\n      - \"%d\"\n", s.port)
	if s.workers > 4 {
		b.WriteString("    deploy:\n      replicas: 2\n      resources:\n        limits:\n          cpus: \"2\"\n          memory: 1g\n")
	}
	for i, w := range s.celery {
		fmt.Fprintf(&b, "\n  celery_%s_%d:\n    build: .\n    command: celery -A %s worker -Q %s_queue --pool=%s --concurrency=%d\n    env_file: .env\n    depends_on:\n      - redis\n",
			w.queue, i, s.project, w.queue, w.pool, w.concurrency)
	}
	if s.pgbouncer {
		b.WriteString("\n  pgbouncer:\n    image: edoburu/pgbouncer:1.22.1\n    environment:\n      DB_HOST: db\n      POOL_MODE: transaction\n      MAX_CLIENT_CONN: \"500\"\n    depends_on:\n      - db\n")
	}
	b.WriteString("\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_DB: app\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n")
	if s.redisCache || s.channels || len(s.celery) > 0 {
		b.WriteString("\n  redis:\n    image: redis:7-alpine\n    command: redis-server --appendonly yes\n")
	}
	b.WriteString("\n  nginx:\n    image: nginx:1.27-alpine\n    ports:\n      - \"80:80\"\n    volumes:\n      - ./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro\n    depends_on:\n      - web\n")
	b.WriteString("\nvolumes:\n  pgdata:\n")
	return b.String()
}

func (s *service) nginx() string {
	var b strings.Builder
	b.WriteString("worker_processes auto;\n\nevents {\n    worker_connections 1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    sendfile        on;\n    keepalive_timeout  65;\n")
	if s.gzip {
		b.WriteString("\n    gzip on;\n    gzip_types application/json text/css application/javascript;\n    gzip_min_length 1024;\n")
	} else {
		b.WriteString("\n    #gzip  on;\n")
	}
	fmt.Fprintf(&b, "\n    upstream %s_backend {\n        server web:%d;\n", strings.ReplaceAll(s.project, "-", "_"), s.port)
	if s.keepalive {
		b.WriteString("        keepalive 32;\n")
	}
	b.WriteString("    }\n\n    server {\n        listen 80;\n        server_name localhost;\n        client_max_body_size 20M;\n\n        location /static/ {\n            alias /app/staticfiles/;\n        }\n")
	if s.channels {
		b.WriteString("\n        location /ws/ {\n            proxy_pass http://" + strings.ReplaceAll(s.project, "-", "_") + "_backend;\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection \"upgrade\";\n            proxy_read_timeout 3600;\n        }\n")
	}
	b.WriteString("\n        location / {\n            proxy_pass http://" + strings.ReplaceAll(s.project, "-", "_") + "_backend;\n")
	if s.keepalive {
		b.WriteString("            proxy_http_version 1.1;\n            proxy_set_header Connection \"\";\n")
	}
	if !s.buffering {
		b.WriteString("            proxy_buffering off;\n")
	}
	b.WriteString("            proxy_set_header Host $host;\n            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n            proxy_set_header X-Forwarded-Proto $scheme;\n        }\n    }\n}\n")
	return b.String()
}

func (s *service) settings() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\"\"\"Django settings for %s.\"\"\"\n\nimport os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n", s.name)
	b.WriteString("SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"change-me\")\nDEBUG = os.environ.get(\"DJANGO_DEBUG\", \"False\") == \"True\"\nALLOWED_HOSTS = os.environ.get(\"DJANGO_ALLOWED_HOSTS\", \"localhost\").split(\",\")\n\n")
	b.WriteString("INSTALLED_APPS = [\n")
	if s.server == "daphne" {
		b.WriteString("    \"daphne\",\n")
	}
	b.WriteString("    \"django.contrib.admin\",\n    \"django.contrib.auth\",\n    \"django.contrib.contenttypes\",\n    \"django.contrib.sessions\",\n    \"django.contrib.staticfiles\",\n    \"rest_framework\",\n")
	if s.channels {
		b.WriteString("    \"channels\",\n")
	}
	b.WriteString("    \"app\",\n]\n\n")
	fmt.Fprintf(&b, "ROOT_URLCONF = \"%s.urls\"\nWSGI_APPLICATION = \"%s.wsgi.application\"\n", s.project, s.project)
	if s.asgi() {
		fmt.Fprintf(&b, "ASGI_APPLICATION = \"%s.asgi.application\"\n", s.project)
	}
	host := "db"
	if s.pgbouncer {
		host = "pgbouncer"
	}
	fmt.Fprintf(&b, "\nDATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        \"NAME\": os.environ.get(\"POSTGRES_DB\", \"app\"),\n        \"USER\": os.environ.get(\"POSTGRES_USER\", \"app\"),\n        \"PASSWORD\": os.environ.get(\"POSTGRES_PASSWORD\", \"\"),\n        \"HOST\": os.environ.get(\"POSTGRES_HOST\", %q),\n        \"PORT\": \"5432\",\n", host)
	if !s.pool {
		fmt.Fprintf(&b, "        \"CONN_MAX_AGE\": %s,\n", s.connMaxAge)
	}
	if s.healthChecks {
		b.WriteString("        \"CONN_HEALTH_CHECKS\": True,\n")
	}
	b.WriteString("        \"OPTIONS\": {\n            \"connect_timeout\": 5,\n")
	if s.pool {
		b.WriteString("            \"pool\": {\"min_size\": 2, \"max_size\": 8},\n")
	}
	b.WriteString("        },\n    }\n}\n")
	if s.redisCache {
		b.WriteString("\nCACHES = {\n    \"default\": {\n        \"BACKEND\": \"django_redis.cache.RedisCache\",\n        \"LOCATION\": os.environ.get(\"REDIS_URL\", \"redis://redis:6379/1\"),\n        \"OPTIONS\": {\n            \"CLIENT_CLASS\": \"django_redis.client.DefaultClient\",\n            \"CONNECTION_POOL_KWARGS\": {\"max_connections\": 50},\n        },\n    }\n}\n")
	} else {
		b.WriteString("\nCACHES = {\"default\": {\"BACKEND\": \"django.core.cache.backends.locmem.LocMemCache\"}}\n")
	}
	if s.channels {
		b.WriteString("\nCHANNEL_LAYERS = {\n    \"default\": {\n        \"BACKEND\": \"channels_redis.core.RedisChannelLayer\",\n        \"CONFIG\": {\"hosts\": [os.environ.get(\"REDIS_URL\", \"redis://redis:6379/2\")]},\n    },\n}\n")
	}
	if len(s.celery) > 0 {
		b.WriteString("\nCELERY_BROKER_URL = os.environ.get(\"CELERY_BROKER_URL\", \"redis://redis:6379/0\")\nCELERY_WORKER_PREFETCH_MULTIPLIER = 1\nCELERY_TASK_ACKS_LATE = True\n")
	}
	b.WriteString("\nREST_FRAMEWORK = {\n    \"DEFAULT_THROTTLE_CLASSES\": [\"rest_framework.throttling.AnonRateThrottle\"],\n    \"DEFAULT_THROTTLE_RATES\": {\"anon\": \"100/hour\"},\n}\n\nSTATIC_URL = \"/static/\"\nSTATIC_ROOT = BASE_DIR / \"staticfiles\"\nDEFAULT_AUTO_FIELD = \"django.db.models.BigAutoField\"\n")
	return b.String()
}

func (s *service) requirements() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Django==%s\ndjangorestframework==3.15.2\npsycopg[binary]==3.2.3\n", s.django)
	if s.pool {
		b.WriteString("psycopg-pool==3.2.4\n")
	}
	switch s.server {
	case "gunicorn-sync", "gunicorn-gthread":
		b.WriteString("gunicorn==23.0.0\n")
	case "gunicorn-uvicorn":
		b.WriteString("gunicorn==23.0.0\nuvicorn[standard]==0.32.1\n")
	case "uvicorn":
		b.WriteString("uvicorn[standard]==0.32.1\n")
	case "daphne":
		b.WriteString("daphne==4.1.2\n")
	}
	if s.redisCache {
		b.WriteString("django-redis==5.4.0\n")
	}
	if s.channels {
		b.WriteString("channels==4.2.0\nchannels-redis==4.2.1\n")
	}
	if len(s.celery) > 0 {
		b.WriteString("celery[redis]==5.4.0\n")
		for _, w := range s.celery {
			if w.pool == "gevent" {
				b.WriteString("gevent==24.11.1\n")
				break
			}
		}
	}
	return b.String()
}

func (s *service) models() string {
	var b strings.Builder
	b.WriteString("from django.db import models\n\n\nclass Customer(models.Model):\n    name = models.CharField(max_length=200)\n    email = models.EmailField(unique=True)\n    created = models.DateTimeField(auto_now_add=True)\n")
	fmt.Fprintf(&b, "\n\nclass Order(models.Model):\n    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name=\"orders\")\n    total = models.DecimalField(max_digits=10, decimal_places=2)\n    status = models.CharField(max_length=20%s)\n    created = models.DateTimeField(auto_now_add=True)\n", map[bool]string{true: ", db_index=True", false: ""}[s.healthChecks])
	if s.channels {
		b.WriteString("\n\nclass Message(models.Model):\n    order = models.ForeignKey(Order, on_delete=models.CASCADE)\n    body = models.TextField()\n\n    class Meta:\n        ordering = [\"-id\"]\n")
	}
	return b.String()
}

func (s *service) views() string {
	var b strings.Builder
	b.WriteString("from django.http import JsonResponse\nfrom rest_framework import viewsets\n\nfrom .models import Order\n\n\ndef health(request):\n    return JsonResponse({\"ok\": True})\n")
	if s.redisCache {
		b.WriteString("\n\ndef recent(request):\n    orders = Order.objects.select_related(\"customer\").order_by(\"-created\")[:50]\n    return JsonResponse({\"orders\": [o.id for o in orders]})\n")
	} else {
		b.WriteString("\n\ndef recent(request):\n    orders = Order.objects.all()\n    return JsonResponse({\"orders\": [o.customer.name for o in orders]})\n")
	}
	return b.String()
}
