package celery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// GeventBudget is HR505.
var GeventBudget = &rules.Rule{
	ID:       "HR505",
	Name:     "celery-gevent-db-budget",
	Phase:    2,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose},
	Doc: rules.Doc{
		Title: "A gevent (or eventlet) worker's concurrency exceeds what PostgreSQL has left",
		Why: `In a gevent or eventlet pool each greenlet that touches the ORM holds its own
database connection, so --concurrency 100 can mean 100 PostgreSQL connections from one
container. Every other process counts against the same max_connections (100 by
default, 3 of them reserved for superusers): each web worker process, Daphne, each
prefork process and beat. When the sum is over, PostgreSQL refuses new connections
with "sorry, too many clients already" and tasks and requests fail together.

The budget is max_connections (from a compose postgres service's -c max_connections,
else 100) minus the 3 reserved connections minus one connection for each other process
of the stack (web workers x replicas, Daphne, other workers' concurrency, beat). Under
ASGI a web process may hold more than one, so the figure is a floor. Behind PgBouncer
the rule stays quiet: the pooler holds the budget.

HR901 (db-connection-budget, phase 1) reports the same budget for the whole stack,
with every process in it and no fix. This rule is that finding's phase-2 lever: it points
at the gevent worker, usually the largest share, and offers to lower its concurrency.`,
		Impact: "no \"too many clients\" errors under load (the report's own stack, 8 workers + 100 greenlets + 2, does not fit)",
		Fix: `Unsafe: sets --concurrency to what the budget leaves. It lowers the number of tasks
run at once; raising max_connections or adding PgBouncer keeps it.`,
		Bad:  `command: celery -A wingman worker -Q ai_queue --pool=gevent --concurrency=100`,
		Good: `command: celery -A wingman worker -Q ai_queue --pool=gevent --concurrency=80`,
		Sources: []string{
			"https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-MAX-CONNECTIONS",
			"https://docs.celeryq.dev/en/stable/userguide/concurrency/gevent.html",
			"https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections",
		},
		Since: "0.2.0",
	},
	Check: checkGeventBudget,
}

func init() { rules.Register(GeventBudget) }

const reservedConnections = 3 // superuser_reserved_connections' default

var maxConnFlag = regexp.MustCompile(`max_connections=(\d+)`)

func checkGeventBudget(pass *rules.Pass) {
	s := pass.Stack
	db, host := postgres(s)
	if db == nil || s.IsPgBouncer(host) {
		return
	}
	for _, w := range workers(s, pass.File) {
		srv := w.Cmd.Server
		pool := srv.WorkerClass()
		if pool != "gevent" && pool != "eventlet" {
			continue
		}
		opt := srv.Lookup("concurrency")
		if opt == nil {
			continue
		}
		n, ok := opt.Int()
		if !ok {
			continue
		}
		maxConn, from := maxConnections(s, host)
		others, parts := otherConnections(s, w.Cmd)
		budget := maxConn - reservedConnections - others
		if n*replicas(s, w.Cmd) <= budget {
			continue
		}
		msg := fmt.Sprintf("%s pool of %d can open %d PostgreSQL connections; max_connections %d (%s) - %d reserved - %d for the rest of the stack (%s) leaves %d",
			pool, n, n*replicas(s, w.Cmd), maxConn, from, reservedConnections, others, strings.Join(parts, ", "), max(budget, 0))
		d := rules.Diagnostic{Span: opt.ValueSpan, Message: msg}
		if budget > 0 && replicas(s, w.Cmd) == 1 {
			d.Fixes = []rules.Fix{{Message: fmt.Sprintf("set --concurrency %d", budget), Applicability: rules.Unsafe,
				Edits: []edit.TextEdit{edit.ArgvSetOption(srv.Argv, opt, strconv.Itoa(budget))}}}
		}
		pass.Report(d)
	}
}

// postgres returns the default PostgreSQL database of the stack's settings
// and its host.
func postgres(s *stack.Stack) (*python.Object, string) {
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		db := f.Python.Lookup("DATABASES", "default")
		if !db.IsDict() {
			continue
		}
		engine, ok := strLit(db.Get("ENGINE"))
		if !ok || !(strings.Contains(engine, "postgresql") || strings.Contains(engine, "postgis")) {
			continue
		}
		host, _ := strLit(db.Get("HOST"))
		return db, host
	}
	return nil, ""
}

// maxConnections is the server's max_connections: from a compose service
// that runs postgres with -c max_connections=N and is the database host
// (or the only postgres service), else PostgreSQL's default.
func maxConnections(s *stack.Stack, host string) (int, string) {
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if !strings.Contains(svc.Image, "postgres") || svc.Command == nil {
				continue
			}
			if host != "" && svc.Name != host {
				continue
			}
			for _, w := range svc.Command.Words {
				if m := maxConnFlag.FindStringSubmatch(w.Value); m != nil {
					n, _ := strconv.Atoi(m[1])
					return n, "service " + svc.Name
				}
			}
		}
	}
	return 100, "PostgreSQL's default"
}

// replicas is how many containers run a command.
func replicas(s *stack.Stack, c *stack.Command) int {
	if len(c.Services) == 0 {
		return 1
	}
	total := 0
	for _, name := range c.Services {
		n := 1
		if svc := composeService(s, name); svc != nil && svc.Replicas != nil {
			if v, err := strconv.Atoi(svc.Replicas.Value); err == nil {
				n = v
			}
		}
		total += n
	}
	return total
}

// processes is the number of processes (or greenlets) of a command that
// may each hold a database connection.
func processes(c *servercmd.Command) int {
	name := "workers"
	if c.Program == "celery" {
		name = "concurrency"
	}
	if o := c.Lookup(name); o != nil {
		if n, ok := o.Int(); ok && n > 0 {
			return n
		}
	}
	return 1
}

// otherConnections counts one connection per process of every command but
// self, and one per celery beat service.
func otherConnections(s *stack.Stack, self *stack.Command) (int, []string) {
	total := 0
	var parts []string
	hasCompose := false
	for _, f := range s.Files {
		hasCompose = hasCompose || f.Compose != nil
	}
	for _, c := range s.Commands {
		if c == self {
			continue
		}
		r := replicas(s, c)
		if len(c.Services) == 0 && c.File.Dockerfile != nil && hasCompose {
			continue // a Dockerfile command no service runs
		}
		n := processes(c.Server) * r
		total += n
		name := c.File.Doc.Path
		if len(c.Services) > 0 {
			name = strings.Join(c.Services, ", ")
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if svc.Command == nil {
				continue
			}
			var words []string
			for _, w := range svc.Command.Words {
				words = append(words, w.Value)
			}
			line := " " + strings.Join(words, " ") + " "
			if strings.Contains(line, "celery ") && strings.Contains(line, " beat ") {
				total++
				parts = append(parts, svc.Name+" 1")
			}
		}
	}
	return total, parts
}
