package capacity

import (
	"fmt"
	"regexp"

	"github.com/headroom-dev/headroom/parsers/requirements"
	"github.com/headroom-dev/headroom/stack"
)

// AssumedHostCPUs is the CPU count the model assumes a host shows the
// processes of a container where nothing declares it. Celery sizes a pool
// that no option sizes by it: WorkController.setup_instance
// (celery/worker/worker.py) calls billiard's cpu_count(), which is
// os.cpu_count() (billiard/context.py): the host's CPUs, which a compose
// cpus limit (a CFS quota) does not change.
const AssumedHostCPUs = 4

// hostCPUs is the number of CPUs the host of service shows its processes:
// the one place the model reads the host's size. Until the infrastructure
// of a service can be declared (infrastructure.services.<service>.cpus)
// it is AssumedHostCPUs, marked as assumed; Known is false, so totals
// built on it read as estimates.
// service "" is a unit no compose service runs (a Procfile, a bare
// Dockerfile), which has no key to declare it under.
func (m *Model) hostCPUs(service string) Count {
	if cpus, from, ok := m.DeclaredCPUs(service); ok && service != "" {
		// billiard's cpu_count() inside the container is what the host
		// (or the quota the declaration stands for) shows: whole CPUs.
		return known(max(int(cpus), 1), from)
	}
	what := fmt.Sprintf("assumed: a host of %d CPUs", AssumedHostCPUs)
	if service != "" {
		what += fmt.Sprintf(" (declare infrastructure.services.%s.cpus)", service)
	}
	return Count{N: AssumedHostCPUs, From: defaultSource(what)}
}

// hostSizedPool sizes the pool of a celery worker that no option sizes
// (u.HostSized): Celery starts one process, thread or greenlet per CPU the
// host shows.
func (m *Model) hostSizedPool(u *Unit) {
	if !u.HostSized {
		return
	}
	svc := ""
	if u.Compose.Service != nil {
		svc = u.Service
	}
	c := m.hostCPUs(svc)
	c.From.What = "no --concurrency: Celery's default is one per CPU the host shows, " + c.From.What
	setPool(u, c)
}

// hostSizedWorkers sizes the gunicorn workers a config computes from the
// CPU count (u.WorkersFormula): os.cpu_count() and multiprocessing's see
// the host's CPUs inside a container, whatever its cpus limit, so the
// count is the formula on the model's host size, shown as assumed (not
// Known) rather than read as 1.
func (m *Model) hostSizedWorkers(u *Unit) {
	if u.WorkersFormula == "" {
		return
	}
	svc := ""
	if u.Compose.Service != nil {
		svc = u.Service
	}
	cpus := m.hostCPUs(svc)
	n, ok := evalCPUs(u.WorkersFormula, cpus.N)
	if !ok || n < 1 {
		return
	}
	from := u.Processes.From
	from.Default = false
	from.What = fmt.Sprintf("workers = %s in %s: %d on the host's CPUs, %s", u.WorkersFormula, from.Doc.Path, n, cpus.From.What)
	u.Processes = Count{N: n, Known: cpus.Known, From: from}
}

// setPool sets the pool size of a celery worker: its greenlets, threads
// or prefork children (plus the beat it embeds).
func setPool(u *Unit, c Count) {
	switch {
	case u.Greenlets.N > 0 || u.WorkerClass == "gevent" || u.WorkerClass == "eventlet":
		u.Greenlets, u.Concurrency = c, c
	case u.WorkerClass == "threads":
		u.Threads, u.Concurrency = c, c
	default:
		if u.EmbedsBeat {
			c.N++
			c.From.What += ", plus the beat it embeds (-B)"
		}
		u.Processes = c
	}
}

// waitCallback finds where the stack makes psycopg2 cooperate with
// gevent: a call of psycogreen's patch_psycopg() (psycogreen/gevent.py),
// of psycopg2.extensions.set_wait_callback, or of the older copies of the
// same callback (make_psycopg_green, gevent_psycopg2.monkey_patch), on a
// line that is not a comment, in any Python file of the stack (gunicorn
// config and its post_fork, settings and the modules they import, wsgi.py,
// asgi.py, manage.py, the Celery app module).
var waitCallback = regexp.MustCompile(`(?m)^[^#\n]*\b(patch_psycopg2?|set_wait_callback|make_psycopg_green|gevent_psycopg2\.monkey_patch)\s*\(`)

// Psycopg2 is the psycopg2 requirement Django's PostgreSQL backend uses:
// psycopg2 or psycopg2-binary where the requirements do not install
// psycopg 3, which Django >= 4.2 imports first
// (django/db/backends/postgresql/psycopg_any.py).
func Psycopg2(s *stack.Stack) (requirements.Requirement, bool) {
	if _, v3 := s.Version("psycopg"); v3 {
		return requirements.Requirement{}, false
	}
	for _, p := range []string{"psycopg2", "psycopg2-binary"} {
		if r, ok := s.Version(p); ok {
			return r, true
		}
	}
	return requirements.Requirement{}, false
}

// WaitCallback returns the first Python file of the stack that sets a
// wait callback for psycopg2 (nil when none does; see waitCallback).
func WaitCallback(s *stack.Stack) *stack.File {
	for _, f := range s.Files {
		if f.Python != nil && waitCallback.Match(f.Doc.Src) {
			return f
		}
	}
	return nil
}

// EventletRemoved says the requirements allow only gunicorn 26 or later,
// which has no eventlet worker: gunicorn's news for 26.0.0 ("Eventlet
// worker removed"), and SUPPORTED_WORKERS in gunicorn/workers/__init__.py
// at 26.0.0 has no "eventlet" entry, so -k eventlet fails at boot. It
// returns the version the requirements allow.
func EventletRemoved(s *stack.Stack) (requirements.Version, bool) {
	g, ok := s.Version("gunicorn")
	if !ok || !g.Version.AtLeast(26) {
		return requirements.Version{}, false
	}
	return g.Version, true
}

// GreenBlocking says why a gevent unit runs one query at a time per
// process ("" when it does not): Django uses psycopg2 and no Python file
// of the stack sets a wait callback, so every query blocks the whole
// process, greenlets and all (psycopg2's "Support for coroutine
// libraries"; psycogreen/gevent.py; psycopg 3 cooperates with gevent from
// 3.1.14).
func GreenBlocking(s *stack.Stack, u *Unit) string {
	if u.WorkerClass != "gevent" || u.Greenlets.N == 0 {
		return ""
	}
	r, ok := Psycopg2(s)
	if !ok || WaitCallback(s) != nil {
		return ""
	}
	return fmt.Sprintf("gevent with %s and no wait callback (psycogreen's patch_psycopg) in the stack's Python files: each query blocks the process, so its greenlets hold one connection and run one query at a time", r.Name)
}

// CeleryConcurrency is a celery worker's pool size, Celery's
// "concurrency": its greenlets, threads or prefork children (without the
// beat it embeds).
func (u *Unit) CeleryConcurrency() Count {
	switch {
	case u.Greenlets.N > 0:
		return u.Greenlets
	case u.WorkerClass == "threads":
		return u.Threads
	}
	c := u.Processes
	if u.EmbedsBeat && c.N > 1 {
		c.N--
	}
	return c
}
