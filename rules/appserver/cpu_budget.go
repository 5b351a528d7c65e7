package appserver

import (
	"fmt"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// CPUBudget is HR105.
var CPUBudget = &rules.Rule{
	ID:       "HR105",
	Name:     "workers-over-cpu-budget",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
	Unsafe:   true,
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
any service that builds the Dockerfile whose CMD it is (the smallest limit wins). A
fractional limit is kept as it is: 2 x 0.5 + 1 is 2 processes. The worker count is
read wherever gunicorn and uvicorn read it (flags, GUNICORN_CMD_ARGS, the config file,
WEB_CONCURRENCY and UVICORN_WORKERS from compose environment, env_file or ENV), as
headroom's capacity model holds it (headroom model prints it). HR101 never raises
workers past the same bound.`,
		Impact: "over-subscribed workers add CPU throttling and memory without adding throughput",
		Fix: `Sets the worker count to 2 x cpus + 1 where it is decided (--workers, -w,
WEB_CONCURRENCY where the deployment sets it, the config file's workers). Unsafe (--unsafe-fixes): fewer workers is
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
	m := pass.Model()
	for _, c := range commands(pass) {
		if !runsGunicorn(c) && !runsUvicorn(c) {
			continue
		}
		// The tightest CPU limit among the services running c.
		var tight *capacity.Unit
		for _, u := range m.UnitsOf(c) {
			if u.CPUs != nil && (tight == nil || u.CPUs.Value < tight.CPUs.Value) {
				tight = u
			}
		}
		if tight == nil {
			continue
		}
		st := pass.Stack.Setting(c, "workers")
		if st == nil || st.Source == stack.SourceDefault || !st.Known {
			continue
		}
		n, ok := st.Int()
		bound := capacity.CPUWorkers(tight.CPUs.Value)
		if !ok || n <= bound {
			continue
		}
		cpus := tight.CPUs.From
		rel := []rules.Location{{Doc: cpus.Doc, Span: cpus.Span, Message: fmt.Sprintf("service %s is limited to %s CPUs", tight.Service, tight.Compose.Service.CPUs.Value)}}
		via := ""
		switch {
		case st.Source == stack.SourceWebConcurrency:
			via = "WEB_CONCURRENCY: "
		case st.Source != stack.SourceArgv || st.Env != nil:
			via = st.Where() + ": "
		}
		doc, span := at(st)
		if doc != pass.Doc() {
			rel = append(rel, rules.Location{Doc: pass.Doc(), Span: c.Server.ProgramSpan(), Message: c.Server.Program + " is started here"})
		}
		d := rules.Diagnostic{Doc: doc, Span: span, Related: rel,
			Message: fmt.Sprintf("%s%s runs %d worker processes, more than 2 x %s CPUs + 1 = %d that service %s's CPU limit can run at once", via, c.Server.Program, n, tight.Compose.Service.CPUs.Value, bound, tight.Service)}
		if e, ok := setEdit(st, itoa(bound)); ok {
			d.Fixes = []rules.Fix{{Message: fmt.Sprintf("set %d workers (2 x CPUs + 1)", bound), Applicability: rules.Unsafe, Edits: []edit.TextEdit{e}}}
		}
		pass.Report(d)
	}
}
