package appserver

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestWorkers(t *testing.T) { rulestest.Run(t, Workers, "testdata/gunicorn-workers") }
func TestMaxRequests(t *testing.T) {
	rulestest.Run(t, MaxRequestsRule, "testdata/gunicorn-max-requests")
}
func TestTimeout(t *testing.T) { rulestest.Run(t, TimeoutRule, "testdata/gunicorn-timeout") }
func TestIneffectiveOption(t *testing.T) {
	rulestest.Run(t, IneffectiveOption, "testdata/gunicorn-ineffective-option")
}

// The report's own CMD (its "CHANGE TO" block, with the continuations a
// Dockerfile needs) fixed by all four rules together reaches the report's "New" command,
// without the no-op options it also suggested.
func TestReportCommand(t *testing.T) {
	all := []*rules.Rule{Workers, MaxRequestsRule, TimeoutRule, IneffectiveOption}
	s := rulestest.Load(t, "testdata/stacks/report")
	res := driver.Fix(s, driver.Options{Rules: all})
	if len(res.Dropped) > 0 || len(res.Remaining) > 0 {
		t.Fatalf("dropped %v, remaining %v", res.Dropped, res.Remaining)
	}
	got := string(res.Stack.File("Dockerfile").Doc.Src)
	want := `FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD ["gunicorn", "wingman.asgi:application", "--bind", "0.0.0.0:8000", \
     "-k", "uvicorn.workers.UvicornWorker", "--workers", "8", \
     "--max-requests", "1000", "--max-requests-jitter", "50", \
     "--timeout", "60"]
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestConflictingClassesAreErrorsWithoutFix(t *testing.T) {
	s := rulestest.Load(t, "testdata/gunicorn-ineffective-option/conflict")
	ds := driver.Run(s, []*rules.Rule{IneffectiveOption})
	var conflict *rules.Diagnostic
	for i := range ds {
		if strings.Contains(ds[i].Message, "contradicts") {
			conflict = &ds[i]
		}
	}
	if conflict == nil || conflict.Severity != rules.Error || len(conflict.Fixes) != 0 || len(conflict.Related) != 1 {
		t.Fatalf("conflict finding: %+v", conflict)
	}
	// With the class in doubt, --worker-connections is left alone too:
	// gevent, the class that runs, uses it.
	for _, d := range ds {
		if strings.Contains(d.Message, "worker-connections") {
			t.Errorf("unexpected: %s", d.Message)
		}
	}
}

func TestDocs(t *testing.T) {
	for _, r := range []*rules.Rule{Workers, MaxRequestsRule, TimeoutRule, IneffectiveOption, CPUBudget, UvicornWorker} {
		d := r.Doc
		if d.Impact == "" || d.Fix == "" || d.Bad == "" || d.Good == "" || d.Since != "0.1.0" {
			t.Errorf("%s: incomplete docs", r)
		}
		for _, src := range d.Sources {
			if !strings.HasPrefix(src, "https://") {
				t.Errorf("%s: source %q", r, src)
			}
		}
	}
	if !strings.Contains(TimeoutRule.Doc.Why, "event loop is blocked") {
		t.Error("HR103 must explain what the timeout means for async workers")
	}
}

func TestCPUBudget(t *testing.T) { rulestest.Run(t, CPUBudget, "testdata/workers-over-cpu-budget") }
func TestUvicornWorker(t *testing.T) {
	rulestest.Run(t, UvicornWorker, "testdata/uvicorn-worker-deprecated")
}

// HR106's unsafe fix changes the class and adds the package in one fix.
func TestUvicornWorkerUnsafeFix(t *testing.T) {
	s := rulestest.Load(t, "testdata/uvicorn-worker-deprecated/report")
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{UvicornWorker}, Unsafe: true})
	if len(res.Dropped) > 0 || len(res.Remaining) > 0 {
		t.Fatalf("dropped %v, remaining %v", res.Dropped, res.Remaining)
	}
	if got := string(res.Stack.File("Dockerfile").Doc.Src); !strings.Contains(got, `"-k", "uvicorn_worker.UvicornWorker"`) {
		t.Errorf("Dockerfile:\n%s", got)
	}
	want := "Django==5.1.4\ngunicorn==23.0.0\nuvicorn[standard]==0.32.1\nuvicorn-worker\npsycopg[binary,pool]==3.2.3\n"
	if got := string(res.Stack.File("requirements.txt").Doc.Src); got != want {
		t.Errorf("requirements.txt:\n%s\nwant:\n%s", got, want)
	}
}

// A class carried by a script variable is changed where its default is
// written, the quotes around it kept; the command line stays as it is.
func TestUvicornWorkerUnsafeFixScriptDefault(t *testing.T) {
	s := rulestest.Load(t, "testdata/uvicorn-worker-deprecated/script-default")
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{UvicornWorker}, Unsafe: true})
	if len(res.Dropped) > 0 || len(res.Remaining) > 0 {
		t.Fatalf("dropped %v, remaining %v", res.Dropped, res.Remaining)
	}
	got := string(res.Stack.File("start.sh").Doc.Src)
	if !strings.Contains(got, `export WORKER_CLASS=${WORKER_CLASS:-"uvicorn_worker.UvicornWorker"}`) || !strings.Contains(got, `exec gunicorn -k "$WORKER_CLASS" --workers 8`) {
		t.Errorf("start.sh:\n%s", got)
	}
	if got := string(res.Stack.File("requirements.txt").Doc.Src); !strings.Contains(got, "uvicorn[standard]==0.32.1\nuvicorn-worker\n") {
		t.Errorf("requirements.txt:\n%s", got)
	}
}

// HR105 offers lowering the count only as an unsafe fix.
func TestCPUBudgetFixIsUnsafe(t *testing.T) {
	s := rulestest.Load(t, "testdata/workers-over-cpu-budget/compose")
	ds := driver.Run(s, []*rules.Rule{CPUBudget})
	if len(ds) != 1 || len(ds[0].Fixes) != 1 || ds[0].Fixes[0].Applicability != rules.Unsafe {
		t.Fatalf("%+v", ds)
	}
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{CPUBudget}, Unsafe: true})
	if got := string(res.Stack.File("docker-compose.yml").Doc.Src); !strings.Contains(got, "gunicorn app.wsgi -w 5 --bind") {
		t.Errorf("%s", got)
	}
}
