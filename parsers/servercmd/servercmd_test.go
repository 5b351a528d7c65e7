package servercmd

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/dockerfile"
)

// argv splits a line on single spaces into words with spans.
func argv(line string) parsers.Argv {
	doc := parsers.NewDocument("x", parsers.KindDockerfile, []byte(line))
	a := parsers.Argv{Doc: doc, Form: parsers.FormShell, Span: parsers.Span{End: len(line)}, AppendAt: len(line)}
	off := 0
	for _, w := range strings.Split(line, " ") {
		a.Words = append(a.Words, parsers.Word{Value: w, Span: parsers.Span{Start: off, End: off + len(w)}})
		off += len(w) + 1
	}
	return a
}

// fromDockerfile parses a Dockerfile and returns its first command.
func fromDockerfile(t *testing.T, src string) *Command {
	t.Helper()
	f, err := dockerfile.Parse(parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range f.Commands() {
		if c := Parse(a); c != nil {
			return c
		}
	}
	t.Fatal("no server command")
	return nil
}

func TestPrograms(t *testing.T) {
	cases := []struct {
		line, prog, app string
		mode            Mode
	}{
		{"gunicorn app.wsgi:application", "gunicorn", "app.wsgi:application", WSGI},
		{"/usr/local/bin/gunicorn -b :8000 app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"python -m gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"python -m gunicorn.app.wsgiapp -c gunicorn-prod.conf.py warehouse.wsgi", "gunicorn", "warehouse.wsgi", WSGI},
		{"python3.12 -u -m gunicorn -k uvicorn.workers.UvicornWorker app.asgi", "gunicorn", "app.asgi", ASGI},
		{"gunicorn --worker-class=uvicorn_worker.UvicornWorker app.asgi", "gunicorn", "app.asgi", ASGI},
		{"gunicorn -kuvicorn.workers.UvicornH11Worker app.asgi", "gunicorn", "app.asgi", ASGI},
		{"gunicorn -k gevent app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"gunicorn -k asgi app.asgi", "gunicorn", "app.asgi", ASGI},
		{"gunicorn --worker-class gunicorn.workers.gasgi.ASGIWorker app.asgi", "gunicorn", "app.asgi", ASGI},
		{"gunicorn -k myapp.workers.Custom app.wsgi", "gunicorn", "app.wsgi", Unknown},
		{"uvicorn app.asgi:application --workers 4", "uvicorn", "app.asgi:application", ASGI},
		{"daphne -b 0.0.0.0 -p 8001 app.asgi:application", "daphne", "app.asgi:application", ASGI},
		{"celery -A wingman worker -P gevent -c 100 -Q ai", "celery", "wingman", Unknown},
		{"ddtrace-run gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"newrelic-admin run-program gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"opentelemetry-instrument gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"uv run gunicorn wsgi:application --workers 6", "gunicorn", "wsgi:application", WSGI},
		{"uv run --frozen --no-dev --python 3.12 gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"uv run -m uvicorn app.asgi:application", "uvicorn", "app.asgi:application", ASGI},
		{"uv run python -m gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
		{"poetry run gunicorn pinry.wsgi:application -b 0.0.0.0:8000", "gunicorn", "pinry.wsgi:application", WSGI},
		{"pipenv run -- daphne app.asgi:application", "daphne", "app.asgi:application", ASGI},
		{"poetry run ddtrace-run gunicorn app.wsgi", "gunicorn", "app.wsgi", WSGI},
	}
	for _, c := range cases {
		cmd := Parse(argv(c.line))
		if cmd == nil {
			t.Errorf("%q: not recognised", c.line)
			continue
		}
		if cmd.Program != c.prog || cmd.App != c.app || cmd.Mode() != c.mode {
			t.Errorf("%q: program %q app %q mode %v", c.line, cmd.Program, cmd.App, cmd.Mode())
		}
	}
	for _, line := range []string{"python manage.py runserver", "celery -A x beat", "/entrypoint.sh gunicorn", "python -c print(1)", "nginx -g daemon", "uv run --unknown-option x gunicorn app.wsgi", "uv sync", "poetry install", "opentelemetry-instrument --traces_exporter console gunicorn app.wsgi", "uv run manage.py migrate", "python -m gunicorn.app.base app.wsgi"} {
		if Parse(argv(line)) != nil {
			t.Errorf("%q: recognised", line)
		}
	}
	if Parse(parsers.Argv{}) != nil {
		t.Error("empty argv recognised")
	}
}

func TestOptionForms(t *testing.T) {
	line := "gunicorn -w3 --bind 0.0.0.0:8000 app.wsgi --timeout=60 -w 4 -t=5 --preload --unknown-flag"
	c := Parse(argv(line))
	text := func(s parsers.Span) string { return line[s.Start:s.End] }
	ws := c.All("workers")
	if len(ws) != 2 {
		t.Fatalf("workers: %d", len(ws))
	}
	if w := ws[0]; w.Form != FormAttached || w.Flag != "-w" || w.Value != "3" || text(w.ValueSpan) != "3" || text(w.Span) != "-w3" {
		t.Errorf("-w3: %+v", w)
	}
	if w := c.Lookup("workers"); w != ws[1] || w.Form != FormSeparate || text(w.Span) != "-w 4" || text(w.ValueSpan) != "4" {
		t.Errorf("-w 4: %+v", w)
	}
	if n, ok := c.Lookup("workers").Int(); !ok || n != 4 {
		t.Errorf("Int = %d %v", n, ok)
	}
	if o := c.All("timeout"); len(o) != 2 || o[0].Form != FormEquals || text(o[0].ValueSpan) != "60" || o[0].Flag != "--timeout" || o[1].Value != "5" || o[1].Flag != "-t" {
		t.Errorf("timeout: %+v", o)
	}
	if o := c.Lookup("preload"); o == nil || o.Form != FormBare || !o.Known {
		t.Errorf("preload: %+v", o)
	}
	if o := c.Lookup("unknown-flag"); o == nil || o.Known {
		t.Errorf("unknown: %+v", o)
	}
	if c.App != "app.wsgi" || c.AppWord != 4 {
		t.Errorf("app %q at %d", c.App, c.AppWord)
	}
}

func TestAppAfterValueOptions(t *testing.T) {
	// Every option before the app takes a value; a table without them would
	// take "0.0.0.0:8000" or "uvicorn.workers.UvicornWorker" for the app.
	c := Parse(argv("gunicorn --bind 0.0.0.0:8000 -k uvicorn.workers.UvicornWorker --access-logfile - --error-logfile - wingman.asgi:application"))
	if c.App != "wingman.asgi:application" {
		t.Errorf("app %q", c.App)
	}
}

func TestWorkerClass(t *testing.T) {
	cases := map[string]string{
		"gunicorn app":                                  "sync",
		"gunicorn app --threads 4":                      "gthread",
		"gunicorn app -k sync --threads=2":              "gthread",
		"gunicorn app -k gevent --threads 4":            "gevent",
		"gunicorn app -k gevent --worker-class gthread": "gthread",
		"uvicorn app":                                   "uvicorn",
		"celery -A x worker":                            "prefork",
		"celery -A x worker --pool=gevent":              "gevent",
	}
	for line, want := range cases {
		if got := Parse(argv(line)).WorkerClass(); got != want {
			t.Errorf("%q: %q, want %q", line, got, want)
		}
	}
	kinds := map[string]string{
		"sync": "sync", "egg:gunicorn#gevent": "gevent", "gunicorn.workers.ggevent.GeventWorker": "gevent",
		"eventlet": "eventlet", "tornado": "tornado", "gthread": "gthread",
		"uvicorn.workers.UvicornWorker": "uvicorn", "uvicorn_worker.UvicornWorker": "uvicorn",
		"uvicorn.workers.UvicornH11Worker": "uvicorn", "myapp.Worker": "",
		"asgi": "asgi", "gunicorn.workers.gasgi.ASGIWorker": "asgi", "egg:gunicorn#asgi": "asgi",
	}
	for class, want := range kinds {
		if got := ClassKind(class); got != want {
			t.Errorf("ClassKind(%q) = %q, want %q", class, got, want)
		}
	}
}

func TestCeleryOptions(t *testing.T) {
	c := Parse(argv("celery -A wingman worker -l info -P gevent --concurrency=100 -Q ai,default --autoscale 10,3"))
	for name, want := range map[string]string{"app": "wingman", "loglevel": "info", "pool": "gevent", "concurrency": "100", "queues": "ai,default", "autoscale": "10,3"} {
		if o := c.Lookup(name); o == nil || o.Value != want {
			t.Errorf("%s: %+v", name, o)
		}
	}
	if c.Subcommand != "worker" {
		t.Errorf("subcommand %q", c.Subcommand)
	}
}

func TestUvicornOptions(t *testing.T) {
	c := Parse(argv("uvicorn --host 0.0.0.0 --port 8000 app.asgi:application --workers=4 --limit-max-requests 1000"))
	if o := c.Lookup("workers"); o == nil || o.Value != "4" || o.Form != FormEquals {
		t.Errorf("workers %+v", o)
	}
	if o := c.Lookup("limit-max-requests"); o == nil || o.Value != "1000" {
		t.Errorf("limit %+v", o)
	}
	if c.App != "app.asgi:application" {
		t.Errorf("app %q", c.App)
	}
}

func TestExecFormSpans(t *testing.T) {
	src := "FROM x\nCMD [\"gunicorn\", \"wingman.asgi:application\", \"--workers=3\", \"-w3\", \\\n  \"-k\", \"uvicorn.workers.UvicornWorker\"]\n"
	c := fromDockerfile(t, src)
	ws := c.All("workers")
	if len(ws) != 2 {
		t.Fatalf("workers: %+v", ws)
	}
	for _, w := range ws {
		if got := src[w.ValueSpan.Start:w.ValueSpan.End]; got != "3" {
			t.Errorf("%s value span %q", w.Flag, got)
		}
	}
	if got := src[ws[0].Span.Start:ws[0].Span.End]; got != `"--workers=3"` {
		t.Errorf("span %q", got)
	}
	k := c.Lookup("worker-class")
	if got := src[k.Span.Start:k.Span.End]; got != "\"-k\", \"uvicorn.workers.UvicornWorker\"" {
		t.Errorf("-k span %q", got)
	}
	if c.Mode() != ASGI {
		t.Errorf("mode %v", c.Mode())
	}
}

func TestShellFormSpans(t *testing.T) {
	src := "FROM x\nCMD exec gunicorn app.wsgi \\\n    --workers=\"3\" -w '4' --bind=:8000 \"$@\"\n"
	c := fromDockerfile(t, src)
	ws := c.All("workers")
	// A quoted value inside an equals word cannot be edited in place: the
	// value span is then the whole word.
	if got := src[ws[0].ValueSpan.Start:ws[0].ValueSpan.End]; got != `--workers="3"` || ws[0].Value != "3" {
		t.Errorf("--workers=\"3\": %q %q", got, ws[0].Value)
	}
	if got := src[ws[1].ValueSpan.Start:ws[1].ValueSpan.End]; got != "'4'" {
		t.Errorf("-w '4': %q", got)
	}
	if b := c.Lookup("bind"); src[b.ValueSpan.Start:b.ValueSpan.End] != ":8000" {
		t.Errorf("bind %+v", b)
	}
	if got := src[c.ProgramSpan().Start:c.ProgramSpan().End]; got != "gunicorn" {
		t.Errorf("program span %q", got)
	}
}
