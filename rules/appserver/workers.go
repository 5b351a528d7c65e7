package appserver

import (
	"fmt"
	"math"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// Workers is HR101.
var Workers = &rules.Rule{
	ID:       "HR101",
	Name:     "gunicorn-workers",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
	Fixable:  true,
	Doc: rules.Doc{
		Title: "Too few gunicorn (or uvicorn) worker processes",
		Why: `Each gunicorn worker is one process that serves one request at a time (sync) or one
event loop (Uvicorn workers), on one CPU core at most. With 3 workers, a fourth slow
request queues in the listen backlog however idle the machine is, and one blocked
event loop stalls a third of the capacity. Without --workers gunicorn starts a
single worker (unless WEB_CONCURRENCY says otherwise), and uvicorn a single process.
gunicorn's own guidance is (2 x CPU cores) + 1 workers as a starting point, then
tuning under load; the capacity report's target is 8. Where the container's CPU
limit is known (compose cpus or deploy.resources.limits.cpus) the target is capped
at 2 x cpus + 1, since more processes than that only contend for the quota. The
host's CPU count is never used: inside a container it is the host's, not the quota.`,
		Impact: "the report's change 1: from about 150-200 to 250-400 concurrent users (+100%)",
		Fix: `Sets the worker count to the target (8 by default) in the form the author wrote it:
"--workers", "8" in an exec-form array, --workers=8, -w8 or -w 8 on a shell line, the
WEB_CONCURRENCY value in the Dockerfile's ENV when that is what sets it. Where the
count is not given at all it adds --workers 8 at the end of the command. Safe: more
workers of the same kind serve the same app; memory use grows with the count, so
check the container's memory limit. A count written as a variable ($WORKERS), or
left to a config file (-c) or GUNICORN_CMD_ARGS, is not changed.`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "--bind", "0.0.0.0:8000",
     "-k", "uvicorn.workers.UvicornWorker", "--workers", "3"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "--bind", "0.0.0.0:8000",
     "-k", "uvicorn.workers.UvicornWorker", "--workers", "8"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/design.html#how-many-workers",
			"https://docs.gunicorn.org/en/stable/settings.html#workers",
			"https://www.uvicorn.org/settings/#production",
			"https://www.uvicorn.org/deployment/",
		},
		Since: "0.1.0",
	},
	Check: checkWorkers,
}

func init() { rules.Register(Workers) }

func checkWorkers(pass *rules.Pass) {
	for _, c := range commands(pass) {
		if !runsGunicorn(c) && !runsUvicorn(c) {
			continue
		}
		target, why := workerTarget(pass.Stack, c, pass.Targets)
		prog := c.Server.Program
		st := pass.Stack.Setting(c, "workers")
		if st == nil || st.Source == stack.SourceDefault {
			if unseen(pass, c) {
				continue
			}
			what := "worker"
			if prog == "uvicorn" {
				what = "process"
			}
			edit, where := addEdit(pass, c, [2]string{"--workers", itoa(target)})
			pass.Report(rules.Diagnostic{
				Span:    c.Server.ProgramSpan(),
				Message: fmt.Sprintf("no --workers: %s starts a single %s; the target is %d%s", prog, what, target, why),
				Fixes:   safeFix("set "+where, edit),
			})
			continue
		}
		doc, span := at(st)
		if !st.Known {
			if st.Source == stack.SourceConfig && st.Object.Expr != nil && strings.Contains(doc.Text(st.Object.Expr.Span), "cpu_count") {
				pass.Report(rules.Diagnostic{
					Doc:     doc,
					Span:    span,
					Message: fmt.Sprintf("%s sizes gunicorn from the CPU count Python sees, which inside a container is the host's, not the container's quota; the target is %d%s", stack.ConfigName("workers"), target, why),
					Fixes: []rules.Fix{{Message: fmt.Sprintf("set workers = %d in %s", target, doc.Path), Applicability: rules.Unsafe,
						Edits: []edit.TextEdit{{Path: doc.Path, Span: st.Object.Expr.Span, New: itoa(target)}}}},
				})
			}
			continue
		}
		n, ok := st.Int()
		if !ok || n >= target {
			continue
		}
		msg := fmt.Sprintf("%s runs %d worker processes (set by %s); the target is %d%s", prog, n, st.Where(), target, why)
		switch {
		case st.Source == stack.SourceArgv && st.Env == nil:
			msg = fmt.Sprintf("%s runs %d worker processes; the target is %d%s", prog, n, target, why)
		case st.Source == stack.SourceWebConcurrency:
			msg = fmt.Sprintf("WEB_CONCURRENCY=%d gives %s %d worker processes (%s; nothing else sets the count); the target is %d%s", n, prog, n, st.Env.Where, target, why)
		}
		d := rules.Diagnostic{Doc: doc, Span: span, Message: msg}
		if doc != pass.Doc() {
			d.Related = []rules.Location{{Doc: pass.Doc(), Span: c.Server.ProgramSpan(), Message: prog + " is started here"}}
		}
		if e, ok := setEdit(st, itoa(target)); ok {
			d.Fixes = safeFix(fmt.Sprintf("set %d workers in %s, where the value is decided", target, doc.Path), e)
		}
		pass.Report(d)
	}
}

// workerTarget is the configured worker count, capped at 2 x cpus + 1 when
// a compose service running the command (its own, or one that runs this
// Dockerfile's CMD) has a CPU limit (or exactly that with workers: auto);
// why explains a cap.
func workerTarget(s *stack.Stack, c *stack.Command, t *rules.Targets) (int, string) {
	target := t.Workers
	limit, cpus, ok := cpuBound(s, c)
	if !ok {
		return target, ""
	}
	if limit < target || t.WorkersAuto {
		return limit, fmt.Sprintf(" (2 x %s CPUs + 1, the CPU limit of service %s)", cpus.Service.CPUs.Value, cpus.Service.Name)
	}
	return target, ""
}

// cpuBound is 2 x cpus + 1 for the tightest CPU limit among the compose
// services running c (a fractional limit rounds up: 0.5 CPUs still runs
// one process at a time).
func cpuBound(s *stack.Stack, c *stack.Command) (int, stack.Service, bool) {
	cpus, where, ok := s.CPULimit(c)
	if !ok {
		return 0, stack.Service{}, false
	}
	return 2*int(math.Ceil(cpus)) + 1, where, true
}
