package appserver

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/rules"
)

// CPUBudget is HR105.
var CPUBudget = &rules.Rule{
	ID:       "HR105",
	Name:     "workers-over-cpu-budget",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
	Doc: rules.Doc{
		Title: "More gunicorn (or uvicorn) workers than the container's CPU limit can run",
		Why: `gunicorn's guidance is (2 x CPU cores) + 1 workers: one process per core doing work,
one per core waiting on I/O, and one spare. A container's cores are its CPU limit
(compose cpus, or deploy.resources.limits.cpus), not the host's count, which is what
os.cpu_count() and multiprocessing.cpu_count() see inside it. Past 2 x cpus + 1 the
workers only take turns on the quota: each request waits for CPU time, the kernel
throttles the whole container at the end of each period, latency grows, and every
extra worker costs its memory (a Django worker is often 100-300 MB) for nothing. The
limit is read from the compose service that runs the command: its own command:, or
any service that builds the Dockerfile whose CMD it is (the smallest limit wins).
HR101 never raises workers past the same bound.`,
		Impact: "over-subscribed workers add CPU throttling and memory without adding throughput",
		Fix: `Sets the worker count to 2 x cpus + 1 where it is written (--workers, -w,
WEB_CONCURRENCY in the Dockerfile's ENV). Unsafe (--unsafe-fixes): fewer workers is
less concurrency for an app that mostly waits on I/O; raising the CPU limit instead
may be the right call.`,
		Bad: `services:
  web:
    command: gunicorn app.wsgi -w 16
    deploy: {resources: {limits: {cpus: "2"}}}`,
		Good: `services:
  web:
    command: gunicorn app.wsgi -w 5
    deploy: {resources: {limits: {cpus: "2"}}}`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/design.html#how-many-workers",
			"https://docs.docker.com/reference/compose-file/deploy/#cpus",
			"https://docs.docker.com/reference/compose-file/services/#cpus",
			"https://docs.kernel.org/scheduler/sched-bwc.html",
		},
		Since: "0.1.0",
	},
	Check: checkCPUBudget,
}

func init() { rules.Register(CPUBudget) }

func checkCPUBudget(pass *rules.Pass) {
	for _, c := range commands(pass) {
		if !runsGunicorn(c) && !runsUvicorn(c) {
			continue
		}
		bound, where, ok := cpuBound(pass.Stack, c)
		if !ok {
			continue
		}
		rel := []rules.Location{{Doc: where.File.Doc, Span: where.Service.CPUs.Span, Message: fmt.Sprintf("service %s is limited to %s CPUs", where.Service.Name, where.Service.CPUs.Value)}}
		cpus := where.Service.CPUs.Value + " CPUs"
		if (bound-1)/2 != int(mustFloat(where.Service.CPUs.Value)) {
			cpus += fmt.Sprintf(" (rounded up to %d)", (bound-1)/2)
		}
		msg := func(n int, via string) string {
			return fmt.Sprintf("%s%s runs %d worker processes, more than 2 x %s + 1 = %d that service %s's CPU limit can run at once", via, c.Server.Program, n, cpus, bound, where.Service.Name)
		}
		fix := fmt.Sprintf("set %d workers (2 x CPUs + 1)", bound)
		if opt := c.Server.Lookup("workers"); opt != nil {
			if n, ok := opt.Int(); ok && n > bound {
				pass.Report(rules.Diagnostic{
					Span: opt.ValueSpan, Message: msg(n, ""), Related: rel,
					Fixes: []rules.Fix{{Message: fix, Applicability: rules.Unsafe, Edits: []edit.TextEdit{edit.ArgvSetOption(c.Server.Argv, opt, itoa(bound))}}},
				})
			}
			continue
		}
		d := pass.File.Dockerfile
		if d == nil {
			continue
		}
		if e, ok := d.LookupEnv("WEB_CONCURRENCY"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(e.Value))
			if err != nil || n <= bound {
				continue
			}
			span := e.ValueSpan
			if e.Quote != 0 {
				span.Start, span.End = span.Start+1, span.End-1
			}
			pass.Report(rules.Diagnostic{
				Span: e.ValueSpan, Message: msg(n, "WEB_CONCURRENCY: "), Related: rel,
				Fixes: []rules.Fix{{Message: fix, Applicability: rules.Unsafe, Edits: []edit.TextEdit{pass.Edit(span, itoa(bound))}}},
			})
		}
	}
}

func mustFloat(s string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f
}
