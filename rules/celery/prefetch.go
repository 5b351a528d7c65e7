package celery

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// PrefetchMultiplier is HR502.
var PrefetchMultiplier = &rules.Rule{
	ID:       "HR502",
	Name:     "celery-prefetch-multiplier",
	Phase:    2,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "A worker of long tasks prefetches more than one task per process",
		Why: `A Celery worker reserves prefetch multiplier x concurrency messages ahead of
running them (default multiplier 4). For short tasks that saves round trips to the
broker; for long ones (AI calls, media work) it parks tasks behind a busy process while
another worker, or another process of the same one, sits idle, and a worker that dies
holds them until the broker's visibility timeout. Celery's guide recommends a
multiplier of 1 for long tasks.

A worker counts as serving long tasks when a queue it consumes (-Q) is named for them:
a word such as ai, llm, heavy, long, slow, media, video, transcode, export, batch.
The multiplier in effect is the worker's --prefetch-multiplier, else
CELERY_WORKER_PREFETCH_MULTIPLIER, else 4. A multiplier of 0 means no limit.`,
		Impact: "long tasks spread over idle processes instead of queueing behind busy ones (the report's phase 2, item 8, and phase 3, item 11)",
		Fix: `Sets --prefetch-multiplier to 1 on the worker's command line, or adds
--prefetch-multiplier=1: only that worker changes, so workers of short tasks keep
prefetching. Safe: tasks run the same; only their distribution changes.`,
		Bad:  `command: celery -A wingman worker -Q ai_queue --pool=gevent --concurrency=100`,
		Good: `command: celery -A wingman worker -Q ai_queue --pool=gevent --concurrency=100 --prefetch-multiplier=1`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/optimizing.html#prefetch-limits",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-prefetch-multiplier",
		},
		Since: "0.2.0",
	},
	Check: checkPrefetch,
}

func init() { rules.Register(PrefetchMultiplier) }

func checkPrefetch(pass *rules.Pass) {
	for _, w := range workers(pass.Stack, pass.File) {
		var long []string
		for _, q := range w.Queues() {
			if stack.IsLongTaskQueue(q) {
				long = append(long, q)
			}
		}
		if len(long) == 0 {
			continue
		}
		srv := w.Cmd.Server
		argv := srv.Argv
		what := fmt.Sprintf("the celery worker of %s consumes %s", w.Name(), strings.Join(long, ", "))
		if o := srv.Lookup("prefetch-multiplier"); o != nil {
			n, ok := o.Int()
			if !ok || n == 1 {
				continue
			}
			pass.Report(rules.Diagnostic{
				Span:    o.ValueSpan,
				Message: fmt.Sprintf("%s with --prefetch-multiplier %s: %s; long tasks want 1", what, o.Value, reserves(n)),
				Fixes:   []rules.Fix{{Message: "set --prefetch-multiplier 1", Edits: []edit.TextEdit{edit.ArgvSetOption(argv, o, "1")}}},
			})
			continue
		}
		n, from := int64(4), "Celery's default"
		var related []rules.Location
		if settingsApply(pass.Stack) {
			if o, f := setting(pass.Stack, "CELERY_WORKER_PREFETCH_MULTIPLIER"); o != nil {
				v, ok := intLit(o)
				if !ok {
					continue
				}
				n, from = v, "CELERY_WORKER_PREFETCH_MULTIPLIER"
				related = append(related, rules.Location{Doc: f.Doc, Span: o.Span(), Message: "set here"})
			}
		}
		if n == 1 {
			continue
		}
		pass.Report(rules.Diagnostic{
			Span:    srv.ProgramSpan(),
			Message: fmt.Sprintf("%s with a prefetch multiplier of %d (%s): %s; long tasks want --prefetch-multiplier=1", what, n, from, reserves(int(n))),
			Related: related,
			Fixes:   []rules.Fix{{Message: "add --prefetch-multiplier=1", Edits: []edit.TextEdit{edit.ArgvAppend(argv, "--prefetch-multiplier=1")}}},
		})
	}
}

func reserves(n int) string {
	if n == 0 {
		return "0 means no limit, so each process reserves every task it can take"
	}
	return fmt.Sprintf("each process reserves %d tasks while it runs one", n)
}
