package celery

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// IgnoreResult is HR504.
var IgnoreResult = &rules.Rule{
	ID:       "HR504",
	Name:     "celery-ignore-result",
	Phase:    2,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Doc: rules.Doc{
		Title: "Every task's result is stored in the result backend",
		Why: `With a result backend configured, Celery writes each task's return value (and state)
to it, one more Redis write per task kept for a day (result_expires), for results that
fire-and-forget tasks never read. CELERY_TASK_IGNORE_RESULT = True stops that for every
task.

It is only safe where no code reads results: AsyncResult(...), .get() or .wait() on
what .delay()/.apply_async() return, chords. The finding lists the reads headroom sees
in the files it reads; it cannot see all the project's code.`,
		Impact: "fewer writes to Redis per task (the report's phase 2, item 8)",
		Fix: `Unsafe only: adds CELERY_TASK_IGNORE_RESULT = True, and only where headroom sees no
code reading results. Where results are read, mark the fire-and-forget tasks one by
one instead: @shared_task(ignore_result=True).`,
		Bad: `CELERY_RESULT_BACKEND = "redis://redis:6379/0"`,
		Good: `CELERY_RESULT_BACKEND = "redis://redis:6379/0"
CELERY_TASK_IGNORE_RESULT = True  # no code reads task results`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-ignore-result",
			"https://docs.celeryq.dev/en/stable/userguide/tasks.html#ignore-results-you-don-t-want",
			"https://docs.celeryq.dev/en/stable/userguide/canvas.html#chords",
		},
		Since: "0.2.0",
	},
	Check: checkIgnoreResult,
}

func init() { rules.Register(IgnoreResult) }

func checkIgnoreResult(pass *rules.Pass) {
	if settingsFile(pass.Stack) != pass.File || !settingsApply(pass.Stack) {
		return
	}
	m := pass.File.Python
	backend := m.Names["CELERY_RESULT_BACKEND"]
	if backend == nil || backend.Conditional {
		return
	}
	if l, ok := backend.Value().Effective(); ok && (l.Kind == python.None || (l.Kind == python.Str && l.Str == "")) {
		return
	}
	if o, _ := setting(pass.Stack, "CELERY_TASK_IGNORE_RESULT"); o != nil {
		if l, ok := o.Value().Effective(); !ok || l.Truthy() {
			return
		}
	}
	readers := resultReaders(pass.Stack)
	d := rules.Diagnostic{Span: backend.Stmt.Span}
	if len(readers) > 0 {
		d.Message = fmt.Sprintf("every task's result is stored in the result backend, and %d place(s) read results: mark the fire-and-forget tasks with ignore_result=True rather than setting CELERY_TASK_IGNORE_RESULT", len(readers))
		d.Related = readers
	} else {
		d.Message = "every task's result is stored in the result backend, and no code headroom read reads one: CELERY_TASK_IGNORE_RESULT = True saves a write per task (check the code headroom does not read)"
		if last := lastCeleryStatement(m); last != nil {
			d.Fixes = []rules.Fix{{Message: "set CELERY_TASK_IGNORE_RESULT = True", Applicability: rules.Unsafe,
				Edits: []edit.TextEdit{insertAfter(pass.Doc(), last, "CELERY_TASK_IGNORE_RESULT = True")}}}
		}
	}
	pass.Report(d)
}

// sends are the calls that return a task's AsyncResult.
var sends = map[string]bool{"delay": true, "apply_async": true, "AsyncResult": true, "send_task": true}

// waits are the AsyncResult methods that read the result.
var waits = map[string]bool{"get": true, "wait": true, "join": true, "join_native": true, "collect": true, "result": true}

// resultReaders finds the code that reads task results in the stack's
// Python files.
func resultReaders(s *stack.Stack) []rules.Location {
	var out []rules.Location
	for _, f := range s.Files {
		if f.Python == nil {
			continue
		}
		code, err := f.Python.Code()
		if err != nil {
			continue
		}
		fromSend := func(c *python.CallSite) bool { return c != nil && sends[c.Method] }
		for _, c := range code.Calls {
			why := ""
			switch {
			case c.Method == "AsyncResult" || c.Method == "GroupResult":
				why = c.Method + " reads a result"
			case c.Method == "chord":
				why = "a chord needs its header's results"
			case waits[c.Method] && fromSend(c.Receiver):
				why = "." + c.Method + "() waits for a task's result"
			case waits[c.Method] && c.ReceiverName != "":
				for _, a := range code.Assigned[c.ReceiverName] {
					if fromSend(a) {
						why = "." + c.Method + "() waits for a task's result"
					}
				}
			}
			if why != "" {
				out = append(out, rules.Location{Doc: f.Doc, Span: c.Span, Message: why})
			}
		}
	}
	return out
}
