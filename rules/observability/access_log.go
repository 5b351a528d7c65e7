package observability

import (
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// AccessLog is HR803.
var AccessLog = &rules.Rule{
	ID:       "HR803",
	Name:     "gunicorn-access-log",
	Phase:    3,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "gunicorn writes no access log",
		Why: `gunicorn writes no access log unless told where (--access-logfile, accesslog in the
config file). Without it, the app server's own view of each request (status, time
taken in the worker) is lost; with Uvicorn workers, uvicorn's access logger uses
gunicorn's handlers, so it is silent too. "-" writes to stdout, where docker logs
collects it.`,
		Impact: "the report's recommended command line (--access-logfile - --error-logfile -)",
		Fix: `Appends --access-logfile - to the gunicorn command. Safe: it adds log lines only.
Commands that read a config file (-c) are left alone: it may set accesslog.`,
		Bad:  `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--access-logfile", "-"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#accesslog",
			"https://github.com/encode/uvicorn/blob/master/uvicorn/workers.py",
		},
		Since: "0.2.0",
	},
	Check: checkAccessLog,
}

func init() { rules.Register(AccessLog) }

func checkAccessLog(pass *rules.Pass) {
	for _, c := range pass.Stack.Commands {
		srv := c.Server
		if c.File != pass.File || srv.Program != "gunicorn" || srv.Has("access-logfile") || srv.Has("config") {
			continue
		}
		if svcHasEnv(pass, c.Services, "GUNICORN_CMD_ARGS", "--access-logfile") {
			continue
		}
		pass.Report(rules.Diagnostic{
			Span:    srv.ProgramSpan(),
			Message: "gunicorn writes no access log: add --access-logfile - (stdout) to see each request's status and time in the worker",
			Fixes:   []rules.Fix{{Message: "add --access-logfile -", Edits: []edit.TextEdit{edit.ArgvAppend(srv.Argv, "--access-logfile", "-")}}},
		})
	}
}

func svcHasEnv(pass *rules.Pass, services []string, name, want string) bool {
	for _, f := range pass.Stack.Files {
		if f.Compose == nil {
			continue
		}
		for _, s := range services {
			if svc := f.Compose.Service(s); svc != nil {
				if e, ok := svc.Env(name); ok && strings.Contains(e.Value, want) {
					return true
				}
			}
		}
	}
	return false
}
