// Package budget holds the cross-file budget rules (HR9xx): what every
// process of the deployment can hold at once (database and Redis
// connections) against what the server accepts, and the settings that
// leak connections under the pools the stack runs. It also holds HR701
// (throttle counters in a per-process cache), which is true only of a
// stack with more than one process.
package budget

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// unit is one kind of process the stack starts, with how many of it run
// and how many connections each can hold at once without a pool.
type unit struct {
	Label string // the compose service, or the file for a bare Dockerfile
	Argv  parsers.Argv
	Doc   *parsers.Document
	// Procs is the number of processes (replicas included); PerProc the
	// connections each can hold at once without a pool: 1 for a process
	// serving one request or task at a time, the thread or greenlet count
	// otherwise.
	Procs, PerProc int
	// Replicas is the compose deploy.replicas factor folded into Procs.
	Replicas int
	// What names the processes ("3 workers", "2 processes"), Each the
	// per-process concurrency ("100 greenlets"); "" when it is 1.
	What, Each string
	// Lower says a count is not known and was taken as its minimum, so
	// the total is a lower bound.
	Lower bool
	Why   string // how the counts were read, for the related location
}

// units lists every process of the stack that loads the Django settings:
// web servers, Celery workers and beat, once per compose service running
// them, multiplied by that service's replicas.
func units(s *stack.Stack) []unit {
	return stack.Memo(s, &unitsKey, func() []unit { return findUnits(s) })
}

// unitsKey keys units' result in the stack's memo: each settings module
// and compose file asks, and the answer is the same for the whole stack
// (callers only read it).
var unitsKey byte

func findUnits(s *stack.Stack) []unit {
	var out []unit
	for _, c := range s.Commands {
		base := commandUnit(s, c)
		svcs := s.RunningServices(c)
		if len(svcs) == 0 {
			base.Label = c.File.Doc.Path
			if c.Service != "" {
				base.Label = c.Service
			}
			out = append(out, base)
			continue
		}
		for _, sv := range svcs {
			u := base
			u.Label = sv.Service.Name
			n, known := stack.Replicas(sv.Service)
			u.Lower = u.Lower || !known
			u.Replicas = n
			u.Procs *= n
			if !known {
				u.Why += "; deploy.replicas is not a number, taken as 1"
			}
			out = append(out, u)
		}
	}
	for _, b := range s.Beats() {
		n, known := stack.Replicas(b.Service.Service)
		out = append(out, unit{
			Label: b.Service.Service.Name, Argv: *b.Argv, Doc: b.Service.File.Doc,
			Procs: n, PerProc: 1, Replicas: n, What: "1 process", Lower: !known,
			Why: "celery beat: 1 process",
		})
	}
	return out
}

// commandUnit counts one command's processes before replicas.
func commandUnit(s *stack.Stack, c *stack.Command) unit {
	srv := c.Server
	u := unit{Argv: srv.Argv, Doc: c.File.Doc, Procs: 1, PerProc: 1, Replicas: 1}
	switch srv.Program {
	case "gunicorn", "uvicorn":
		n, how, known := workers(s, c)
		u.Procs, u.Lower = n, !known
		u.What = plural(n, "worker")
		u.Why = srv.Program + ": " + how
		if srv.Program == "uvicorn" {
			u.Lower = true
			u.Why += "; under ASGI each request's sync ORM work may run on its own thread, so at least 1 connection each"
			break
		}
		switch servercmd.ClassKind(srv.WorkerClass()) {
		case "gthread":
			t := intOpt(srv, "threads", 1)
			u.PerProc, u.Each = t, plural(t, "thread")
			u.Why += fmt.Sprintf(", gthread with %d threads each", t)
		case "gevent", "eventlet":
			wc := intOpt(srv, "worker-connections", 1000)
			u.PerProc, u.Each = wc, plural(wc, "greenlet")
			u.Why += fmt.Sprintf(", %s with up to %d greenlets each (--worker-connections)", servercmd.ClassKind(srv.WorkerClass()), wc)
		case "uvicorn":
			u.Lower = true
			u.Why += ", Uvicorn workers: under ASGI each request's sync ORM work may run on its own thread, so at least 1 connection each"
		case "sync":
			u.Why += ", sync: 1 connection each"
		default:
			u.Lower = true
		}
	case "daphne":
		u.What = "1 process"
		u.Lower = true
		u.Why = "daphne: 1 process; under ASGI each request's sync ORM work may run on its own thread, so at least 1 connection"
	case "celery":
		conc, how, known := concurrency(srv)
		u.Lower = !known
		switch pool := strings.ToLower(srv.WorkerClass()); pool {
		case "gevent", "eventlet", "threads":
			what := "greenlets"
			if pool == "threads" {
				what = "threads"
			}
			u.Procs, u.PerProc = 1, conc
			u.What, u.Each = "1 process", fmt.Sprintf("%d %s", conc, what)
			if conc == 1 {
				u.Each = "1 " + strings.TrimSuffix(what, "s")
			}
			u.Why = fmt.Sprintf("celery worker, %s pool: 1 process, %s, each holding its own connection", pool, how)
		case "solo":
			u.What = "1 process"
			u.Why = "celery worker, solo pool: 1 process"
		default:
			u.Procs = conc
			u.What = plural(conc, "process")
			u.Why = fmt.Sprintf("celery worker, %s pool: %s", pool, how)
		}
		if srv.Has("beat") {
			u.Procs++
			u.Why += ", plus the beat it embeds (-B)"
		}
	}
	return u
}

// workers is the worker count of a gunicorn or uvicorn command: its
// --workers, else WEB_CONCURRENCY where the command's environment sets it,
// else 1. known is false when the count comes from somewhere headroom does
// not read (a config file, GUNICORN_CMD_ARGS, a variable).
func workers(s *stack.Stack, c *stack.Command) (n int, how string, known bool) {
	if o := c.Server.Lookup("workers"); o != nil {
		if n, ok := o.Int(); ok && n > 0 {
			return n, fmt.Sprintf("%s %d", o.Flag, n), true
		}
		return 1, "--workers " + o.Value + " is not a number, taken as 1", false
	}
	if v, ok := s.CommandEnv(c, "WEB_CONCURRENCY"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return n, fmt.Sprintf("WEB_CONCURRENCY=%d", n), true
		}
	}
	if c.Server.Has("config") {
		return 1, "workers set in a config file headroom does not read, taken as 1", false
	}
	if _, ok := s.CommandEnv(c, "GUNICORN_CMD_ARGS"); ok && c.Server.Program == "gunicorn" {
		return 1, "GUNICORN_CMD_ARGS may set workers, taken as 1", false
	}
	return 1, "1 worker (no --workers)", true
}

// concurrency is a Celery worker's pool size: --concurrency, or the
// maximum of --autoscale; Celery's default is the host's CPU count, which
// a container does not know, so it is taken as 1 and known is false.
func concurrency(c *servercmd.Command) (n int, how string, known bool) {
	if o := c.Lookup("autoscale"); o != nil {
		max, _, _ := strings.Cut(o.Value, ",")
		if n, err := strconv.Atoi(strings.TrimSpace(max)); err == nil && n > 0 {
			return n, fmt.Sprintf("--autoscale up to %d", n), true
		}
	}
	if o := c.Lookup("concurrency"); o != nil {
		if n, ok := o.Int(); ok && n > 0 {
			return n, fmt.Sprintf("%s %d", o.Flag, n), true
		}
	}
	return 1, "no --concurrency: Celery starts one per host CPU, taken as 1", false
}

func intOpt(c *servercmd.Command, name string, def int) int {
	if o := c.Lookup(name); o != nil {
		if n, ok := o.Int(); ok && n > 0 {
			return n
		}
	}
	return def
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// dbAlias is one entry of DATABASES.
type dbAlias struct {
	Name string
	DB   *python.Object
}

func dbAliases(m *python.Module) []dbAlias {
	dbs := m.Names["DATABASES"]
	if !dbs.IsDict() || dbs.Conditional {
		return nil
	}
	var out []dbAlias
	for _, k := range dbs.Keys() {
		if db := dbs.Get(k); db.IsDict() && !db.Conditional {
			out = append(out, dbAlias{Name: k, DB: db})
		}
	}
	return out
}

// str is an object's string value where the environment does not
// override it.
func str(o *python.Object) (string, bool) {
	if l, ok := o.Value().Effective(); ok && l.Kind == python.Str {
		return l.Str, true
	}
	return "", false
}

// num is an object's numeric value where the environment does not
// override it.
func num(o *python.Object) (float64, bool) {
	if o == nil || o.Conditional {
		return 0, false
	}
	l, ok := o.Value().Effective()
	if !ok {
		return 0, false
	}
	return l.Number()
}

// isPostgres reports whether an alias's ENGINE names PostgreSQL.
func isPostgres(db *python.Object) bool {
	e, ok := str(db.Get("ENGINE"))
	return ok && (strings.Contains(e, "postgresql") || strings.Contains(e, "postgis"))
}

// keySpan is where a finding about a whole dict entry points: its key in
// the literal, else the expression that builds it.
func keySpan(o *python.Object) parsers.Span {
	if o.Entry != nil {
		return o.Entry.KeySpan
	}
	if o.Stmt != nil && o.Stmt.Value == o.Expr {
		return o.Stmt.Span
	}
	return o.Span()
}

// related turns units into the related locations of a finding.
func related(us []unit, each func(u unit) string) []rules.Location {
	var out []rules.Location
	for _, u := range us {
		out = append(out, rules.Location{Doc: u.Doc, Span: u.Argv.Span, Message: each(u)})
	}
	return out
}
