package appserver

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// MaxRequestsRule is HR102.
var MaxRequestsRule = &rules.Rule{
	ID:       "HR102",
	Name:     "gunicorn-max-requests",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    configKinds,
	Fixable:  true,
	Doc: rules.Doc{
		Title: "Workers never recycled: no --max-requests (or no jitter)",
		Why: `A long-lived Python worker only grows: leaks in the app or its libraries, caches
without bounds, fragmentation. Without --max-requests gunicorn never restarts a
worker, so memory climbs until the container is OOM-killed, taking every in-flight
request of that worker with it. With --max-requests N each worker exits gracefully
after N requests and the arbiter starts a fresh one. --max-requests-jitter J spreads
the restarts: each worker restarts after N + randint(0, J) requests, so workers
started together do not all restart at once and leave no one serving.
uvicorn has the same knob (--limit-max-requests), but only its --workers supervisor
restarts a process that exits, and only from uvicorn 0.30.0 on (the new multiprocess
manager, encode/uvicorn#2183, checks its children every half second and starts a new
one for each that died). Before 0.30 the supervisor starts N processes and waits:
each worker that reaches the limit exits for good, and after N requests per worker
the service serves nothing (encode/uvicorn#517). A single uvicorn process, in any
version, simply stops serving.`,
		Impact: "part of the report's change 1 (250-400 concurrent users): steady memory, no OOM kills under sustained load",
		Fix: `Adds --max-requests 1000 --max-requests-jitter 50 (the report's values) at the end of
a gunicorn command, or the jitter alone (5% of the given --max-requests) where only
that is missing; sets 1000 where --max-requests is 0, which disables restarts. For
uvicorn with --workers (any count but 1, or a value headroom cannot read, such as
"${WORKERS}": uvicorn runs its supervisor whenever workers > 1) it adds
--limit-max-requests 1000 as a safe fix only where the requirements prove uvicorn 0.30
or later; where they do not say which uvicorn runs, it says so as info, with no fix;
where they pin an older uvicorn, HR102 says nothing about uvicorn (upgrade first), and an existing
--limit-max-requests (or UVICORN_LIMIT_MAX_REQUESTS) under a uvicorn the requirements
pin below 0.30 is an error. Safe: a restart is graceful (the worker finishes its
requests first), so no request is lost. Quiet when a config file (-c) or
GUNICORN_CMD_ARGS may set it. A gunicorn config module that no command in view runs
(a systemd unit or launcher outside the repository does, and no gunicorn command is
in view) is judged as it stands, as info: a missing max_requests or jitter there gets
the same safe fix, appended to the module.`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8",
     "--max-requests", "1000", "--max-requests-jitter", "50"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#max-requests",
			"https://docs.gunicorn.org/en/stable/settings.html#max-requests-jitter",
			"https://www.uvicorn.org/settings/#resource-limits",
			"https://www.uvicorn.org/release-notes/#0300-2024-05-28",
			"https://github.com/encode/uvicorn/pull/2183",
			"https://github.com/encode/uvicorn/blob/0.30.0/uvicorn/supervisors/multiprocess.py",
			"https://github.com/encode/uvicorn/issues/517",
		},
		Since: "0.1.0",
	},
	Check: checkMaxRequests,
}

func init() { rules.Register(MaxRequestsRule) }

func checkMaxRequests(pass *rules.Pass) {
	if f := unrunConfig(pass); f != nil {
		checkUnrunMaxRequests(pass, f)
		return
	}
	MaxRequests, MaxRequestsJitter := pass.Targets.MaxRequests, pass.Targets.MaxRequestsJitter
	for _, c := range commands(pass) {
		srv := c.Server
		switch {
		case runsGunicorn(c):
			mr, jit := pass.Stack.Setting(c, "max-requests"), pass.Stack.Setting(c, "max-requests-jitter")
			if mr.Source == stack.SourceDefault {
				if unseen(pass, c) {
					unseenNotice(pass, c)
					continue
				}
				opts := [][2]string{{"--max-requests", itoa(MaxRequests)}}
				if jit.Source == stack.SourceDefault {
					opts = append(opts, [2]string{"--max-requests-jitter", itoa(MaxRequestsJitter)})
				}
				edit, where := addEdit(pass, c, opts...)
				pass.Report(rules.Diagnostic{
					Span:    srv.ProgramSpan(),
					Message: "no --max-requests: gunicorn never restarts a worker, so leaked memory grows until the container is killed",
					Fixes:   safeFix("add "+where, edit),
				})
				continue
			}
			n, ok := mr.Int()
			if !ok {
				continue
			}
			doc, span := at(mr)
			if n <= 0 {
				e, ok := setEdit(mr, itoa(MaxRequests))
				d := rules.Diagnostic{Doc: doc, Span: span,
					Message: fmt.Sprintf("%s 0 disables worker restarts, so leaked memory grows until the container is killed", label(mr))}
				if ok {
					edits := []edit.TextEdit{e}
					if jit.Source == stack.SourceDefault {
						edits = append(edits, jitterAdd(pass, c, mr, MaxRequestsJitter))
					}
					d.Fixes = safeFix(fmt.Sprintf("set max-requests %d in %s", MaxRequests, doc.Path), edits...)
				}
				pass.Report(d)
				continue
			}
			j := max(n*MaxRequestsJitter/MaxRequests, 1)
			if jit.Source == stack.SourceDefault {
				if unseen(pass, c) {
					continue
				}
				pass.Report(rules.Diagnostic{
					Doc:     doc,
					Span:    span,
					Message: fmt.Sprintf("%s without --max-requests-jitter: workers started together all restart after %d requests, at the same moment", label(mr), n),
					Fixes:   safeFix(fmt.Sprintf("add max-requests-jitter %d next to it", j), jitterAdd(pass, c, mr, j)),
				})
			} else if jn, ok := jit.Int(); ok && jn <= 0 {
				jd, js := at(jit)
				d := rules.Diagnostic{Doc: jd, Span: js,
					Message: fmt.Sprintf("%s 0: workers started together all restart after %d requests, at the same moment", label(jit), n)}
				if e, ok := setEdit(jit, itoa(j)); ok {
					d.Fixes = safeFix(fmt.Sprintf("set max-requests-jitter %d in %s", j, jd.Path), e)
				}
				pass.Report(d)
			}
		case runsUvicorn(c):
			checkUvicornMaxRequests(pass, c, MaxRequests)
		}
	}
}

// checkUvicornMaxRequests asks for --limit-max-requests on `uvicorn
// --workers N` only where the requirements prove uvicorn 0.30 or later: its
// multiprocess supervisor restarts a worker that exits only from 0.30 on
// (encode/uvicorn#2183). Before that a worker that reaches the limit exits
// for good, and after N requests per worker the service serves nothing.
func checkUvicornMaxRequests(pass *rules.Pass, c *stack.Command, maxRequests int) {
	srv := c.Server
	workers := pass.Stack.Setting(c, "workers")
	n, known := workers.Int()
	switch {
	case known && n < 2:
		return // one process: uvicorn runs no supervisor
	case !known && (workers == nil || workers.Source != stack.SourceArgv && workers.Source != stack.SourceEnvVar):
		return
	}
	// A --workers (or UVICORN_WORKERS) whose value headroom cannot read
	// (`--workers "${WORKERS}"`) still asks for the supervisor: uvicorn
	// runs it for any count above 1, and nobody writes --workers to mean 1.
	uv, listed := pass.Stack.Version("uvicorn")
	restarts := listed && uv.Version.Known() && uv.Version.AtLeast(0, 30)
	old := listed && uv.Version.Known() && !restarts
	var related []rules.Location
	if listed && uv.Doc != nil && uv.Line > 0 {
		related = []rules.Location{{Doc: uv.Doc, Span: uv.Doc.LineSpan(uv.Line), Message: "uvicorn " + uv.Version.String()}}
	}
	if o := srv.Lookup("limit-max-requests"); o != nil {
		if old {
			pass.Report(rules.Diagnostic{
				Severity: rules.Error,
				Span:     o.Span,
				Message: fmt.Sprintf("--limit-max-requests with uvicorn %s: before 0.30 the --workers supervisor never restarts a worker that exits, so the service stops serving once every worker has reached the limit; upgrade uvicorn to 0.30 or later",
					uv.Version),
				Related: related,
			})
		}
		return
	}
	// uvicorn reads every option from UVICORN_<NAME> too.
	if ev, ok := pass.Stack.Env(c, "UVICORN_LIMIT_MAX_REQUESTS"); ok {
		if old {
			pass.Report(rules.Diagnostic{
				Severity: rules.Error,
				Doc:      ev.File.Doc,
				Span:     ev.Span,
				Message: fmt.Sprintf("UVICORN_LIMIT_MAX_REQUESTS with uvicorn %s: before 0.30 the --workers supervisor never restarts a worker that exits, so the service stops serving once every worker has reached the limit; upgrade uvicorn to 0.30 or later",
					uv.Version),
				Related: related,
			})
		}
		return
	}
	if old {
		// uvicorn before 0.30 never restarts a worker that exits: the
		// limit would stop the service. Upgrading comes first.
		return
	}
	if !restarts {
		// Which uvicorn runs is not written anywhere headroom reads: say
		// so, with no fix, rather than guess either way.
		pass.Report(rules.Diagnostic{
			Severity: rules.Info,
			Span:     srv.ProgramSpan(),
			Message:  "no --limit-max-requests: uvicorn's workers are never recycled, so leaked memory grows until the container is killed; no requirements file says which uvicorn runs, and only from uvicorn 0.30 does the --workers supervisor restart a worker that reaches the limit: require uvicorn 0.30 or later and add --limit-max-requests " + itoa(maxRequests),
		})
		return
	}
	pass.Report(rules.Diagnostic{
		Span:    srv.ProgramSpan(),
		Message: "no --limit-max-requests: uvicorn never restarts a worker process, so leaked memory grows until the container is killed",
		Related: related,
		Fixes:   safeFix("add --limit-max-requests "+itoa(maxRequests), edit.ArgvAppend(srv.Argv, "--limit-max-requests", itoa(maxRequests))),
	})
}

// jitterAdd adds max-requests-jitter beside max-requests, in the same
// place: the same command line, GUNICORN_CMD_ARGS or config file.
func jitterAdd(pass *rules.Pass, c *stack.Command, mr *stack.Setting, j int) edit.TextEdit {
	switch mr.Source {
	case stack.SourceArgv, stack.SourceCmdArgs:
		return edit.ArgvAppend(mr.Argv, "--max-requests-jitter", itoa(j))
	case stack.SourceConfig:
		doc := mr.Config.Doc
		nl := doc.Newline()
		text := "max_requests_jitter = " + itoa(j) + nl
		if len(doc.Src) > 0 && doc.Src[len(doc.Src)-1] != '\n' {
			text = nl + text
		}
		return edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: len(doc.Src), End: len(doc.Src)}, New: text}
	}
	e, _ := addEdit(pass, c, [2]string{"--max-requests-jitter", itoa(j)})
	return e
}

// label names a setting as the author wrote it: the flag on a command line,
// or the setting and where it is decided.
func label(st *stack.Setting) string {
	if st.Source == stack.SourceArgv && st.Env == nil {
		return st.Option.Flag
	}
	return st.Name + " (set by " + st.Where() + ")"
}
