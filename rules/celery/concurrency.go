package celery

import (
	"fmt"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// WorkerConcurrency is HR507.
var WorkerConcurrency = &rules.Rule{
	ID:       "HR507",
	Name:     "celery-worker-concurrency",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose, parsers.KindShell},
	Doc: rules.Doc{
		Title: "A Celery worker's pool size is left to the host's CPU count",
		Why: `A celery worker started without --concurrency (or --autoscale, or
CELERY_WORKER_CONCURRENCY in the settings) sizes its pool by the CPUs of the machine it
runs on: WorkController.setup_instance (celery/worker/worker.py) falls back to billiard's cpu_count(), which is
os.cpu_count() (billiard/context.py). Inside a container that is the host's count: a
compose cpus limit is a CPU quota and does not change it. So the same image runs 2
prefork children on a laptop and 64 on a large host, each with its own database and
Redis connections and its own memory, and nothing in the repository says which; the
database budget (HR901) and the web workers HR101 plans next to it depend on a number
the deployment does not choose. For a gevent, eventlet or threads pool the default is
the same count of greenlets or threads, a handful where such pools are meant to run
hundreds.

headroom's capacity model counts such a worker at one assumed host size, 4 CPUs (shown
as assumed in headroom model and the report, with the key that will declare it,
infrastructure.services.<service>.cpus), and this rule reports the worker.`,
		Impact: "the worker's processes, connections and memory follow whatever host it lands on, so the budgets that count it are guesses",
		Fix: `No automatic fix: any number changes how many tasks the worker runs at once,
and the right one depends on its tasks (CPU-bound: about the CPUs the container may use;
I/O-bound: more, or a gevent pool) and on the database and memory budgets. Give the
worker --concurrency explicitly (or CELERY_WORKER_CONCURRENCY), for instance the
container's cpus limit for CPU-bound prefork tasks.`,
		Bad:  `command: celery -A proj worker -Q default`,
		Good: `command: celery -A proj worker -Q default --concurrency=4`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/workers.html#concurrency",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-concurrency",
			"https://github.com/celery/celery/blob/v5.6.0/celery/worker/worker.py",
			"https://github.com/celery/billiard/blob/v4.2.1/billiard/context.py",
			"https://docs.docker.com/reference/compose-file/services/#cpus",
		},
		Since: "0.2.0",
	},
	Check: checkWorkerConcurrency,
}

func init() { rules.Register(WorkerConcurrency) }

func checkWorkerConcurrency(pass *rules.Pass) {
	m := pass.Model()
	for _, w := range workers(pass.Stack, pass.File) {
		for _, u := range m.UnitsOf(w.Cmd) {
			if !u.HostSized {
				continue
			}
			conc := u.CeleryConcurrency()
			slot := "prefork child"
			switch {
			case u.Greenlets.N > 0:
				slot = "greenlet"
			case u.WorkerClass == "threads":
				slot = "thread"
			}
			limit := ""
			if u.CPUs != nil {
				limit = fmt.Sprintf(" (its %s limit does not change that count)", u.CPUs.From.What)
			}
			pass.Report(rules.Diagnostic{
				Span: w.Cmd.Server.ProgramSpan(),
				Message: fmt.Sprintf("the celery worker of %s sets no --concurrency (nor CELERY_WORKER_CONCURRENCY): Celery starts one %s per CPU the host shows%s, so its processes and connections follow the host it lands on; headroom counts %d (%s); give the worker --concurrency",
					w.Name(), slot, limit, conc.N, conc.From.What),
			})
			break
		}
	}
}
