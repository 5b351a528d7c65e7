package appserver

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/text"
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
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "Too few gunicorn (or uvicorn) worker processes",
		Why: `Each gunicorn worker is one process that serves one request at a time (sync) or one
event loop (Uvicorn workers), on one CPU core at most. With 3 workers, a fourth slow
request queues in the listen backlog however idle the machine is, and one blocked
event loop stalls a third of the capacity. Without --workers gunicorn starts a
single worker (unless WEB_CONCURRENCY says otherwise), and uvicorn a single process
(uvicorn also reads WEB_CONCURRENCY). A Procfile's process, and a script it runs,
gets WEB_CONCURRENCY from the platform (Heroku's Python buildpack sizes it from the
dyno): that count is not known, and the rule stays quiet on it.
gunicorn's own guidance is (2 x CPU cores) + 1 workers as a starting point, then
tuning under load; the capacity report's target is 8 (targets.workers). The target
is derived from headroom's capacity model (headroom model prints it), capped by
every budget the workers count against:
- the CPU limit (compose cpus or deploy.resources.limits.cpus): 2 x cpus + 1, a
  fractional limit kept as it is (0.5 CPUs: 2), since more processes only contend
  for the quota. The host's CPU count is never used: inside a container it is the
  host's, not the quota;
- the memory limit (deploy.resources.limits.memory or mem_limit) over a per-worker
  estimate (targets.worker_memory_mb, 256 MiB by default: a Django worker with its
  app loaded commonly takes 150-300 MiB);
- the PostgreSQL budget (HR901's sum of every process's connections against
  max_connections less the reserved ones): no more workers than the room the rest of
  the stack leaves. Where that budget has no room, the finding says what the stack
  already holds and what the target would add, and offers no fix: make room first
  (Django's pool, PgBouncer, a larger max_connections). A limit assumed for a server
  outside the stack is named with the key that declares the real one
  (infrastructure.postgres.<host>.max_connections in .headroom.yaml).
The CPU and memory limits and the replicas declared under infrastructure.services
win over compose's. The message names the budget that capped the target.`,
		Impact: "the report's change 1: from about 150-200 to 250-400 concurrent users (+100%)",
		Fix: `Sets the worker count to the target (8 by default) in the form the author wrote it:
"--workers", "8" in an exec-form array, --workers=8, -w8 or -w 8 on a shell line, the
WEB_CONCURRENCY value where the deployment sets it (compose environment, env_file,
the Dockerfile's ENV), the config file's workers = N. Where the count is not given at
all it adds --workers 8 at the end of the command (or workers = 8 to the config file
gunicorn reads). Safe: more workers of the same kind serve the same app, and the
target never exceeds what the CPU, memory and database budgets admit. For uvicorn,
safe only where the requirements prove uvicorn 0.30 or later: before 0.30 its
--workers supervisor (uvicorn/supervisors/multiprocess.py at 0.29.0) starts N
processes and never restarts one that dies; 0.30.0 restarts them (encode/uvicorn#2183).
Otherwise the fix is unsafe, with that reason. Unsafe too where a PostgreSQL budget
the service enters counts a celery worker sized by the host's CPUs (no --concurrency:
billiard's cpu_count(), celery/bin/worker.py), which headroom can only assume: on a
larger host that worker takes the room the fix plans into; declaring
infrastructure.services.<service>.cpus makes it safe. A count written
as a variable nothing sets ($WORKERS) is not changed.`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "--bind", "0.0.0.0:8000",
     "-k", "uvicorn.workers.UvicornWorker", "--workers", "3"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "--bind", "0.0.0.0:8000",
     "-k", "uvicorn.workers.UvicornWorker", "--workers", "8"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/design.html#how-many-workers",
			"https://docs.gunicorn.org/en/stable/settings.html#workers",
			"https://www.uvicorn.org/settings/#production",
			"https://www.uvicorn.org/deployment/",
			"https://github.com/encode/uvicorn/blob/0.29.0/uvicorn/supervisors/multiprocess.py",
			"https://github.com/encode/uvicorn/blob/0.30.0/uvicorn/supervisors/multiprocess.py",
			"https://github.com/encode/uvicorn/pull/2183",
			"https://github.com/celery/celery/blob/v5.4.0/celery/bin/worker.py",
			"https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS",
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
		// A unit whose workers cannot boot (HR104 says why) has no worker
		// count to raise.
		if noBoot(pass, c) {
			continue
		}
		tg := workerTarget(pass, c)
		target, why := tg.N, capText(tg)
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
			if target <= 1 {
				if noRoom(tg, 1) {
					pass.Report(rules.Diagnostic{
						Span:    c.Server.ProgramSpan(),
						Message: fmt.Sprintf("no --workers: %s starts a single %s; %s", prog, what, noRoomText(tg, 1)),
					})
				}
				continue
			}
			edit, where := addEdit(pass, c, [2]string{"--workers", itoa(target)})
			d := rules.Diagnostic{
				Span:    c.Server.ProgramSpan(),
				Message: fmt.Sprintf("no --workers: %s starts a single %s; the target is %d%s", prog, what, target, why),
				Fixes:   safeFix("set "+where, edit),
			}
			uvicornSupervisorGate(pass, c, &d)
			assumedHostGate(pass, c, &d)
			pass.Report(d)
			continue
		}
		doc, span := at(st)
		if !st.Known {
			if st.Source == stack.SourceConfig && st.Object.Expr != nil && strings.Contains(doc.Text(st.Object.Expr.Span), "cpu_count") {
				pass.Report(rules.Diagnostic{
					Doc:     doc,
					Span:    span,
					Message: fmt.Sprintf("%s sizes gunicorn from the CPU count Python sees, which inside a container is the host's, not the container's quota; the target is %d%s", stack.ConfigName("workers"), max(target, 1), why),
					Fixes: []rules.Fix{{Message: fmt.Sprintf("set workers = %d in %s", max(target, 1), doc.Path), Applicability: rules.Unsafe,
						Edits: []edit.TextEdit{{Path: doc.Path, Span: st.Object.Expr.Span, New: itoa(max(target, 1))}}}},
				})
			}
			continue
		}
		n, ok := st.Int()
		if !ok {
			continue
		}
		if n >= target {
			if noRoom(tg, n) {
				d := rules.Diagnostic{Doc: doc, Span: span, Message: fmt.Sprintf("%s runs %s; %s", prog, text.Count(n, "worker process", "worker processes"), noRoomText(tg, n))}
				if doc != pass.Doc() {
					d.Related = []rules.Location{{Doc: pass.Doc(), Span: c.Server.ProgramSpan(), Message: prog + " is started here"}}
				}
				pass.Report(d)
			}
			continue
		}
		procs := text.Count(n, "worker process", "worker processes")
		msg := fmt.Sprintf("%s runs %s (set by %s); the target is %d%s", prog, procs, st.Where(), target, why)
		switch {
		case st.Source == stack.SourceArgv && st.Env == nil:
			msg = fmt.Sprintf("%s runs %s; the target is %d%s", prog, procs, target, why)
		case st.Source == stack.SourceWebConcurrency:
			msg = fmt.Sprintf("WEB_CONCURRENCY=%d gives %s %s (%s; nothing else sets the count); the target is %d%s", n, prog, procs, st.Env.Where, target, why)
		}
		d := rules.Diagnostic{Doc: doc, Span: span, Message: msg}
		if doc != pass.Doc() {
			d.Related = []rules.Location{{Doc: pass.Doc(), Span: c.Server.ProgramSpan(), Message: prog + " is started here"}}
		}
		if e, ok := setEdit(st, itoa(target)); ok {
			d.Fixes = safeFix(fmt.Sprintf("set %d workers in %s, where the value is decided", target, doc.Path), e)
			if n < 2 {
				uvicornSupervisorGate(pass, c, &d)
			}
			assumedHostGate(pass, c, &d)
		}
		pass.Report(d)
	}
}

// workerTarget is the derived worker target of c: the configured target
// (or 2 x cpus + 1 with workers: auto), capped by the CPU, memory and
// PostgreSQL budgets of every service that runs it; the tightest wins.
func workerTarget(pass *rules.Pass, c *stack.Command) capacity.Target {
	m := pass.Model()
	var best capacity.Target
	found := false
	for _, u := range m.UnitsOf(c) {
		t := m.WorkerTarget(u, pass.Targets.Workers, pass.Targets.WorkersAuto)
		if !found || t.N < best.N {
			best, found = t, true
		}
	}
	if !found {
		return capacity.Target{Configured: pass.Targets.Workers, N: pass.Targets.Workers}
	}
	return best
}

// noBoot reports whether every unit c runs boots no worker process.
func noBoot(pass *rules.Pass, c *stack.Command) bool {
	us := pass.Model().UnitsOf(c)
	for _, u := range us {
		if u.NoBoot == "" {
			return false
		}
	}
	return len(us) > 0
}

// capText explains a target a budget capped: "" when none did.
func capText(t capacity.Target) string {
	if t.Binding == nil {
		return ""
	}
	if strings.HasPrefix(t.Binding.Budget, "cpu:") {
		return " (" + t.Binding.Why + ")"
	}
	return fmt.Sprintf(" (%d capped by %s)", t.Configured, t.Binding.Why)
}

// noRoom reports whether the PostgreSQL budget, already over with n
// workers, keeps the target below n and the configured one: the finding
// then names the change that makes room. A budget that holds exactly n
// workers is the target met.
func noRoom(t capacity.Target, n int) bool {
	return t.Binding != nil && strings.HasPrefix(t.Binding.Budget, "postgres:") && t.N < n && n < t.Configured
}

// noRoomText says what holds the target back: the PostgreSQL budget is
// full already, what the target would add, and what makes room (for a
// limit assumed, the key of .headroom.yaml that declares the real one).
func noRoomText(t capacity.Target, n int) string {
	b := t.Binding.Full
	return fmt.Sprintf("the target of %d is out of reach: the PostgreSQL budget of %s has no room: the stack already holds %s%d of the %d usable (%s); raising the workers to %d would add %d more; make room first (Django's pool, PgBouncer, or a larger max_connections)",
		t.Configured, b.Name, b.Bound(), b.Used, b.Usable(), b.LimitText(), t.Configured, (t.Configured-n)*t.Binding.PerWorker)
}

// assumedHostGate makes the worker fix unsafe where a PostgreSQL budget
// the command's units enter counts a unit sized by the host's CPUs (a
// celery worker without --concurrency: billiard's cpu_count()), which the
// model can only assume: the room the fix plans into may belong to that
// worker on a larger host. Declaring the host's CPUs makes it safe again.
func assumedHostGate(pass *rules.Pass, c *stack.Command, d *rules.Diagnostic) {
	if len(d.Fixes) == 0 || d.Fixes[0].Applicability != rules.Safe {
		return
	}
	m := pass.Model()
	units := m.UnitsOf(c)
	for _, b := range m.Budgets() {
		if b.Resource != capacity.Postgres {
			continue
		}
		enters := false
		for _, u := range units {
			if _, ok := b.Term(u); ok {
				enters = true
			}
		}
		if !enters {
			continue
		}
		for _, t := range b.Terms {
			if !t.Unit.HostSized || t.Unit.Processes.Known {
				continue
			}
			// Processes.From names the key that declares the host's CPUs.
			d.Message += fmt.Sprintf("; the fix is unsafe: the PostgreSQL budget of %s counts %s at %s, and a larger host runs more", b.Name, t.Unit.Service, t.Unit.Processes.From.What)
			for i := range d.Fixes {
				d.Fixes[i].Applicability = rules.Unsafe
				d.Fixes[i].Message += " (unsafe: the budget counts a worker sized by an assumed host)"
			}
			return
		}
	}
}

// uvicornSupervisorGate makes a fix that starts uvicorn's --workers
// supervisor unsafe unless the requirements prove uvicorn 0.30 or later:
// before 0.30 (uvicorn/supervisors/multiprocess.py at 0.29.0) it starts N
// processes and never restarts one that dies, so capacity decays while the
// container looks healthy; from 0.30.0 (encode/uvicorn#2183) it restarts
// them.
func uvicornSupervisorGate(pass *rules.Pass, c *stack.Command, d *rules.Diagnostic) {
	if c.Server.Program != "uvicorn" || len(d.Fixes) == 0 {
		return
	}
	uv, listed := pass.Stack.Version("uvicorn")
	if listed && uv.Version.Known() && uv.Version.AtLeast(0, 30) {
		return
	}
	ver := "not pinned"
	if listed && uv.Version.Known() {
		ver = "allowed from " + uv.Version.String()
		if uv.Doc != nil && uv.Line > 0 {
			d.Related = append(d.Related, rules.Location{Doc: uv.Doc, Span: uv.Doc.LineSpan(uv.Line), Message: "uvicorn " + uv.Version.String()})
		}
	}
	d.Message += fmt.Sprintf("; the fix is unsafe: uvicorn is %s, and before 0.30 its --workers supervisor never restarts a worker that dies, so capacity decays silently; require uvicorn >= 0.30 first", ver)
	for i := range d.Fixes {
		d.Fixes[i].Applicability = rules.Unsafe
		d.Fixes[i].Message += " (unsafe: uvicorn below 0.30 never restarts a dead worker)"
	}
}
