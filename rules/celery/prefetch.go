package celery

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
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
running them (default multiplier 4; celery/worker/components.py sets the prefetch
count to concurrency x multiplier): a gevent worker with --concurrency=100 holds 400. For short tasks that saves round trips to the
broker; for long ones (AI calls, media work) it parks tasks behind a busy process while
another worker, or another process of the same one, sits idle, and a worker that dies
holds them until the broker's visibility timeout. Celery's guide recommends a
multiplier of 1 for long tasks.

A worker counts as serving long tasks when a queue it consumes (-Q) is named for them:
a word such as ai, llm, heavy, long, slow, media, video, transcode, export, batch.
The multiplier in effect is the worker's --prefetch-multiplier, else
CELERY_WORKER_PREFETCH_MULTIPLIER, else 4. A multiplier of 0 means no limit.

A multiplier of 1 is one task per process only with late acknowledgement. By default
Celery acknowledges a task's message when the task starts, and an acknowledged
message no longer counts against the prefetch limit, so each process reserves one
more task behind the one it runs: a worker with -c 10 may hold 20 tasks (Celery's
guide, "Reserve one task at a time"). With CELERY_TASK_ACKS_LATE = True (the old name
CELERY_ACKS_LATE without the CELERY namespace) the running task counts, and each
process holds one. Where the multiplier is already 1 and late acknowledgement is off,
HR502 says so at info level, without a fix: late acknowledgement redelivers the task
of a worker that dies, so tasks must be safe to run twice. Per-task acks_late=True is
not read.`,
		Impact: "long tasks spread over idle processes instead of queueing behind busy ones (the report's phase 2, item 8, and phase 3, item 11)",
		Fix: `Sets --prefetch-multiplier to 1 on the worker's command line, or adds
--prefetch-multiplier=1: only that worker changes, so workers of short tasks keep
prefetching. Safe: tasks run the same; only their distribution changes.`,
		Bad:  `command: celery -A wingman worker -Q ai_queue --pool=gevent --concurrency=100`,
		Good: `command: celery -A wingman worker -Q ai_queue --pool=gevent --concurrency=100 --prefetch-multiplier=1`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/optimizing.html#prefetch-limits",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-prefetch-multiplier",
			"https://docs.celeryq.dev/en/stable/userguide/optimizing.html#reserve-one-task-at-a-time",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-acks-late",
			"https://docs.celeryq.dev/en/stable/faq.html#faq-acks-late-vs-retry",
			"https://github.com/celery/celery/blob/v5.6.0/celery/worker/components.py",
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
		late, lateKnown, lateAt := acksLate(pass.Stack)
		conc, hostSized := concurrency(pass.Model(), w.Cmd)
		if o := srv.Lookup("prefetch-multiplier"); o != nil {
			n, ok := o.Int()
			if !ok {
				continue
			}
			if n == 1 {
				reportEarlyAcks(pass, what, late, lateKnown, lateAt, o.ValueSpan)
				continue
			}
			pass.Report(rules.Diagnostic{
				Span:    o.ValueSpan,
				Message: fmt.Sprintf("%s with --prefetch-multiplier %s: %s; long tasks want 1%s", what, o.Value, reserves(int(n), late, conc, hostSized), lateNote(late, lateKnown)),
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
			reportEarlyAcks(pass, what, late, lateKnown, lateAt, srv.ProgramSpan())
			continue
		}
		pass.Report(rules.Diagnostic{
			Span:    srv.ProgramSpan(),
			Message: fmt.Sprintf("%s with a prefetch multiplier of %d (%s): %s; long tasks want --prefetch-multiplier=1%s", what, n, from, reserves(int(n), late, conc, hostSized), lateNote(late, lateKnown)),
			Related: related,
			Fixes:   []rules.Fix{{Message: "add --prefetch-multiplier=1", Edits: []edit.TextEdit{edit.ArgvAppend(argv, "--prefetch-multiplier=1")}}},
		})
	}
}

// reserves says how many messages the worker holds: Celery's prefetch
// count is the multiplier x the worker's concurrency (celery/worker/
// components.py, the Consumer step: prefetch_count = w.concurrency x
// w.prefetch_multiplier, the greenlets of a gevent pool included). With
// early acknowledgement (Celery's default) the running tasks' messages are
// already acknowledged, so the reserved ones come on top of them; with
// task_acks_late they are among them.
func reserves(n int, late bool, conc capacity.Count, hostSized bool) string {
	if n == 0 {
		return "0 means no limit, so the worker reserves every task it can take"
	}
	how := ""
	if hostSized {
		how = "; " + conc.From.What
	} else if !conc.Known {
		how = ", at least"
	}
	s := fmt.Sprintf("the worker reserves %d x %d = %d messages (prefetch multiplier x concurrency%s)", n, conc.N, n*conc.N, how)
	if late {
		return s + ", the tasks it runs included"
	}
	return s + fmt.Sprintf(" on top of the %d tasks it runs", conc.N)
}

// concurrency is the pool size of worker c as the capacity model holds it
// (the first service running it), and whether the host's CPU count sizes
// it.
func concurrency(m *capacity.Model, c *stack.Command) (capacity.Count, bool) {
	for _, u := range m.UnitsOf(c) {
		return u.CeleryConcurrency(), u.HostSized
	}
	return capacity.Count{N: 1}, false
}

// lateNote adds what a multiplier of 1 still leaves without late acks.
func lateNote(late, known bool) string {
	if late || !known {
		return ""
	}
	return " with CELERY_TASK_ACKS_LATE = True (with Celery's early acknowledgement a multiplier of 1 still reserves one more task for each it runs)"
}

// reportEarlyAcks flags a long-task worker at multiplier 1 whose tasks
// are acknowledged early: the running task no longer counts against the
// prefetch limit, so each process reserves one more task behind it (the
// Celery guide: -c 10 may hold 20 tasks). Late acknowledgement makes it
// one task per process; it changes what happens when a worker dies (the
// task runs again), so there is no fix, only the finding.
func reportEarlyAcks(pass *rules.Pass, what string, late, known bool, at *rules.Location, span parsers.Span) {
	if late || !known {
		return
	}
	d := rules.Diagnostic{
		Severity: rules.Info,
		Span:     span,
		Message:  fmt.Sprintf("%s with a prefetch multiplier of 1, but tasks are acknowledged early (task_acks_late is off): the running task no longer counts, so each process still reserves one more task behind it; CELERY_TASK_ACKS_LATE = True makes it one task per process (tasks must then be safe to run twice: a task whose worker dies is delivered again)", what),
	}
	if at != nil {
		d.Related = []rules.Location{*at}
	}
	pass.Report(d)
}

// acksLate reports whether the stack's settings turn task_acks_late on:
// CELERY_TASK_ACKS_LATE where the CELERY namespace applies, else the old
// name CELERY_ACKS_LATE, which Celery reads without a namespace. known is
// false when the value is computed.
func acksLate(s *stack.Stack) (late, known bool, at *rules.Location) {
	name := "CELERY_TASK_ACKS_LATE"
	if !settingsApply(s) {
		name = "CELERY_ACKS_LATE"
	}
	o, f := setting(s, name)
	if o == nil {
		return false, true, nil
	}
	l, ok := o.Value().Effective()
	if !ok || o.Conditional {
		return false, false, nil
	}
	return l.Truthy(), true, &rules.Location{Doc: f.Doc, Span: o.Span(), Message: name + " set here"}
}
