package celery

import (
	"bytes"
	"regexp"
	"strings"

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
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "Every task's result is stored in the result backend",
		Why: `With a result backend configured, Celery writes each task's return value (and state)
to it, one more Redis write per task kept for a day (result_expires), for results that
fire-and-forget tasks never read. CELERY_TASK_IGNORE_RESULT = True stops that for every
task.

It is only safe where no code reads results: AsyncResult(...) (also imported under
another name, ` + "`from celery.result import AsyncResult as TaskResult`" + `), .get(), .wait(),
.ready(), .successful() or .failed() on what .delay()/.apply_async()/send_task()
return, their .info, .state, .status or .result, chords, and a class built on
AsyncResult, GroupResult, ResultSet or ResultBase (celery/result.py), whose methods
read results through self. Where headroom sees any such read, the results are wanted and the rule is quiet (per-task ignore_result=True on the
fire-and-forget tasks remains the author's choice). It cannot see all the project's
code, so where it sees none the finding is info and its fix unsafe.`,
		Impact: "fewer writes to Redis per task (the report's phase 2, item 8)",
		Fix: `Unsafe only: adds CELERY_TASK_IGNORE_RESULT = True, and only where headroom sees no
code reading results (where it sees some, there is no finding).`,
		Bad: `CELERY_RESULT_BACKEND = "redis://redis:6379/0"`,
		Good: `CELERY_RESULT_BACKEND = "redis://redis:6379/0"
CELERY_TASK_IGNORE_RESULT = True  # no code reads task results`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-ignore-result",
			"https://docs.celeryq.dev/en/stable/userguide/tasks.html#ignore-results-you-don-t-want",
			"https://docs.celeryq.dev/en/stable/userguide/canvas.html#chords",
			"https://docs.celeryq.dev/en/stable/reference/celery.result.html#celery.result.AsyncResult",
			"https://github.com/celery/celery/blob/v5.6.0/celery/result.py",
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
	ns := namespace(pass.Stack, pass.File)
	backend := ns.Names["CELERY_RESULT_BACKEND"]
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
	if len(resultReaders(pass.Stack)) > 0 {
		return // results are read: storing them is the point of the backend
	}
	d := rules.Diagnostic{
		Span:    backend.Stmt.Span,
		Message: "every task's result is stored in the result backend, and no code headroom read reads one: CELERY_TASK_IGNORE_RESULT = True saves a write per task (check the code headroom does not read)",
	}
	if last := lastCeleryStatement(ns, pass.File); last != nil {
		d.Fixes = []rules.Fix{{Message: "set CELERY_TASK_IGNORE_RESULT = True", Applicability: rules.Unsafe,
			Edits: []edit.TextEdit{insertAfter(pass.Doc(), last, "CELERY_TASK_IGNORE_RESULT = True")}}}
	}
	pass.Report(d)
}

// sends are the calls that return a task's AsyncResult.
var sends = map[string]bool{"delay": true, "apply_async": true, "AsyncResult": true, "send_task": true}

// waits are the AsyncResult methods that read the result or its state.
var waits = map[string]bool{"get": true, "wait": true, "join": true, "join_native": true, "collect": true, "result": true,
	"ready": true, "successful": true, "failed": true}

// resultAttrs are the AsyncResult attributes that read the result or its
// state from the backend.
var resultAttrs = regexp.MustCompile(`^\.(info|state|status|result|traceback|date_done|children)\b`)

// resultSubclass matches a class built on one of celery.result's classes
// (class JobResult(AsyncResult), class Batch(celery.result.GroupResult)):
// its methods read results through self, which no call names.
var resultSubclass = regexp.MustCompile(`(?m)^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*\b(?:AsyncResult|GroupResult|ResultSet|ResultBase)\b[^)]*)\)`)

// resultAlias matches celery.result's classes imported under another name
// (`from celery.result import AsyncResult as TaskResult`): a call of that
// name reads a result as AsyncResult(...) does.
var resultAlias = regexp.MustCompile(`\b(AsyncResult|GroupResult)[ \t]+as[ \t]+(\w+)`)

// readerWords are the names every result read below involves (the call
// that returns the result, or the reading call itself): a module whose
// text holds none of them reads no result, and its calls are not read.
var readerWords = []string{"delay", "apply_async", "AsyncResult", "send_task", "GroupResult", "chord"}

// mayReadResults says whether src holds any of readerWords.
func mayReadResults(src []byte) bool {
	for _, w := range readerWords {
		if bytes.Contains(src, []byte(w)) {
			return true
		}
	}
	return false
}

// resultReaders finds the code that reads task results in the stack's
// Python files.
func resultReaders(s *stack.Stack) []rules.Location {
	var out []rules.Location
	for _, f := range s.Files {
		if f.Python == nil || !mayReadResults(f.Doc.Src) {
			continue
		}
		code, err := f.Python.Code()
		if err != nil {
			continue
		}
		src := string(f.Doc.Src)
		aliases := map[string]string{}
		for _, m := range resultAlias.FindAllStringSubmatch(src, -1) {
			aliases[m[2]] = m[1]
		}
		fromSend := func(c *python.CallSite) bool { return c != nil && (sends[c.Method] || aliases[c.Method] != "") }
		for _, c := range code.Calls {
			why := ""
			switch {
			case c.Method == "AsyncResult" || c.Method == "GroupResult":
				why = c.Method + " reads a result"
			case aliases[c.Method] != "":
				why = c.Method + " (" + aliases[c.Method] + ") reads a result"
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
		// Attributes of a sent task's result: res = task.delay(); res.info
		for _, m := range resultSubclass.FindAllStringSubmatchIndex(src, -1) {
			out = append(out, rules.Location{Doc: f.Doc, Span: parsers.Span{Start: m[2], End: m[3]},
				Message: "class " + src[m[2]:m[3]] + " is built on " + strings.TrimSpace(src[m[4]:m[5]]) + ": results are read through it"})
		}
		for name, calls := range code.Assigned {
			sent := false
			for _, a := range calls {
				sent = sent || fromSend(a)
			}
			if !sent || strings.Contains(name, ".") {
				continue
			}
			re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\.`)
			for _, m := range re.FindAllStringIndex(src, -1) {
				if a := resultAttrs.FindString(src[m[1]-1:]); a != "" {
					out = append(out, rules.Location{Doc: f.Doc, Span: parsers.Span{Start: m[0], End: m[1] - 1 + len(a)},
						Message: a + " reads a task's result or state"})
				}
			}
		}
	}
	return out
}
