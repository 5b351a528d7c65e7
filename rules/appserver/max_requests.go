package appserver

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/fixers"
	"github.com/headroom-dev/headroom/rules"
)

// MaxRequestsRule is HR102.
var MaxRequestsRule = &rules.Rule{
	ID:       "HR102",
	Name:     "gunicorn-max-requests",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
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
uvicorn has the same knob (--limit-max-requests); its supervisor (uvicorn 0.30 and
later) restarts a process that exits only when it runs --workers processes, so HR102
asks for it only there: a single uvicorn process would simply stop serving.`,
		Impact: "part of the report's change 1 (250-400 concurrent users): steady memory, no OOM kills under sustained load",
		Fix: `Adds --max-requests 1000 --max-requests-jitter 50 (the report's values) at the end of
a gunicorn command, or the jitter alone (5% of the given --max-requests) where only
that is missing; sets 1000 where --max-requests is 0, which disables restarts. For
uvicorn with --workers it adds --limit-max-requests 1000. Safe: a restart is graceful
(the worker finishes its requests first), so no request is lost. Quiet when a config
file (-c) or GUNICORN_CMD_ARGS may set it.`,
		Bad: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8"]`,
		Good: `CMD ["gunicorn", "wingman.asgi:application", "-k", "uvicorn.workers.UvicornWorker", "--workers", "8",
     "--max-requests", "1000", "--max-requests-jitter", "50"]`,
		Sources: []string{
			"https://docs.gunicorn.org/en/stable/settings.html#max-requests",
			"https://docs.gunicorn.org/en/stable/settings.html#max-requests-jitter",
			"https://www.uvicorn.org/settings/#resource-limits",
			"https://www.uvicorn.org/release-notes/",
		},
		Since: "0.1.0",
	},
	Check: checkMaxRequests,
}

func init() { rules.Register(MaxRequestsRule) }

func checkMaxRequests(pass *rules.Pass) {
	MaxRequests, MaxRequestsJitter := pass.Targets.MaxRequests, pass.Targets.MaxRequestsJitter
	for _, c := range commands(pass) {
		srv := c.Server
		a := srv.Argv
		switch {
		case runsGunicorn(c):
			mr, jit := srv.Lookup("max-requests"), srv.Lookup("max-requests-jitter")
			if mr == nil {
				if setElsewhere(c, "max-requests") {
					continue
				}
				words := []string{"--max-requests", itoa(MaxRequests)}
				if jit == nil {
					words = append(words, "--max-requests-jitter", itoa(MaxRequestsJitter))
				}
				pass.Report(rules.Diagnostic{
					Span:    srv.ProgramSpan(),
					Message: "no --max-requests: gunicorn never restarts a worker, so leaked memory grows until the container is killed",
					Fixes:   safeFix("add "+strings.Join(words, " "), fixers.ArgvAppend(a, words...)),
				})
				continue
			}
			n, ok := mr.Int()
			if !ok {
				continue
			}
			if n <= 0 {
				edits := []rules.TextEdit{fixers.ArgvSetOption(a, mr, itoa(MaxRequests))}
				if jit == nil {
					edits = append(edits, fixers.ArgvAppend(a, "--max-requests-jitter", itoa(MaxRequestsJitter)))
				}
				pass.Report(rules.Diagnostic{
					Span:    mr.ValueSpan,
					Message: "--max-requests 0 disables worker restarts, so leaked memory grows until the container is killed",
					Fixes:   safeFix("set --max-requests "+itoa(MaxRequests), edits...),
				})
				continue
			}
			j := max(n*MaxRequestsJitter/MaxRequests, 1)
			if jit == nil {
				if setElsewhere(c, "max-requests-jitter") {
					continue
				}
				pass.Report(rules.Diagnostic{
					Span:    mr.Span,
					Message: fmt.Sprintf("--max-requests without --max-requests-jitter: workers started together all restart after %d requests, at the same moment", n),
					Fixes:   safeFix(fmt.Sprintf("add --max-requests-jitter %d", j), fixers.ArgvAppend(a, "--max-requests-jitter", itoa(j))),
				})
			} else if jn, ok := jit.Int(); ok && jn <= 0 {
				pass.Report(rules.Diagnostic{
					Span:    jit.ValueSpan,
					Message: fmt.Sprintf("--max-requests-jitter 0: workers started together all restart after %d requests, at the same moment", n),
					Fixes:   safeFix(fmt.Sprintf("set --max-requests-jitter %d", j), fixers.ArgvSetOption(a, jit, itoa(j))),
				})
			}
		case runsUvicorn(c):
			w := srv.Lookup("workers")
			if w == nil || srv.Has("limit-max-requests") {
				continue
			}
			if n, ok := w.Int(); !ok || n < 2 {
				continue
			}
			pass.Report(rules.Diagnostic{
				Span:    srv.ProgramSpan(),
				Message: "no --limit-max-requests: uvicorn never restarts a worker process, so leaked memory grows until the container is killed",
				Fixes:   safeFix("add --limit-max-requests "+itoa(MaxRequests), fixers.ArgvAppend(a, "--limit-max-requests", itoa(MaxRequests))),
			})
		}
	}
}
