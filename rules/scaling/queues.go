package scaling

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// QueueScaling is HR602.
var QueueScaling = &rules.Rule{
	ID:       "HR602",
	Name:     "celery-queue-workers",
	Phase:    3,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindCompose},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "Celery queues without a worker service of their own",
		Why: `A worker service that consumes a long-task queue (AI, heavy) together with others
runs them all in one pool: short tasks wait behind long ones, the pool type suits one
kind of work only, and the queues cannot be scaled apart. And when every worker names
its queues with -Q, tasks that CELERY_TASK_ROUTES does not route go to the default
queue ("celery", or CELERY_TASK_DEFAULT_QUEUE), which no worker then consumes: they
wait there for ever.

The report's answer is a worker service per queue (celery_default, celery_ai_1, ...),
each with --prefetch-multiplier=1 so long tasks spread over idle processes.`,
		Impact: "queues scale apart and no task waits behind another kind (the report's phase 3, item 11)",
		Fix: `Splits a service consuming several queues into one service per queue (the copy keeps
everything but the queue, the worker name and the container name), or adds a worker
service for the default queue copied from an existing worker; each gets
--prefetch-multiplier=1. Comments, anchors and layout of the rest of the file stay.`,
		Bad: `celery:
  build: .
  command: celery -A wingman worker -Q default,ai_queue`,
		Good: `celery:
  build: .
  command: celery -A wingman worker -Q default --prefetch-multiplier=1
celery_ai:
  build: .
  command: celery -A wingman worker -Q ai_queue --prefetch-multiplier=1`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/routing.html",
			"https://docs.celeryq.dev/en/stable/userguide/workers.html#queues",
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-default-queue",
			"https://docs.celeryq.dev/en/stable/userguide/optimizing.html#prefetch-limits",
		},
		Since: "0.2.0",
	},
	Check: checkQueues,
}

func init() { rules.Register(QueueScaling) }

type workerSvc struct {
	svc    *compose.Service
	cmd    *servercmd.Command
	queues []string
}

func composeWorkers(s *stack.Stack, f *stack.File) []workerSvc {
	var out []workerSvc
	for _, c := range s.Commands {
		if c.Server.Program != "celery" || c.File != f || c.Service == "" {
			continue
		}
		svc := f.Compose.Service(c.Service)
		if svc == nil || svc.Command == nil {
			continue
		}
		w := workerSvc{svc: svc, cmd: c.Server}
		if o := c.Server.Lookup("queues"); o != nil {
			for _, q := range strings.Split(o.Value, ",") {
				if q = strings.TrimSpace(q); q != "" {
					w.queues = append(w.queues, q)
				}
			}
		}
		out = append(out, w)
	}
	return out
}

func checkQueues(pass *rules.Pass) {
	ws := composeWorkers(pass.Stack, pass.File)
	if len(ws) == 0 {
		return
	}
	for _, w := range ws {
		if len(w.queues) < 2 {
			continue
		}
		long := false
		for _, q := range w.queues {
			long = long || stack.IsLongTaskQueue(q)
		}
		if !long {
			continue
		}
		o := w.cmd.Lookup("queues")
		d := rules.Diagnostic{
			Span:    o.ValueSpan,
			Message: fmt.Sprintf("service %s consumes %s in one pool: short tasks wait behind long ones and the queues cannot scale apart; give each queue its own worker service", w.svc.Name, strings.Join(w.queues, ", ")),
		}
		if edits, ok := splitEdits(pass, w); ok {
			d.Fixes = []rules.Fix{{Message: "one worker service per queue, with --prefetch-multiplier=1", Edits: edits}}
		}
		pass.Report(d)
	}
	// The default queue, when every worker names its queues.
	routes, deflt := routing(pass.Stack)
	if routes == nil {
		return
	}
	var src *workerSvc
	for i, w := range ws {
		if len(w.queues) == 0 {
			return // consumes the default queue
		}
		for _, q := range w.queues {
			if q == deflt {
				return
			}
		}
		if src == nil || better(w, *src) {
			src = &ws[i]
		}
	}
	if anyOtherFileConsumes(pass.Stack, pass.File, deflt) {
		return
	}
	d := rules.Diagnostic{
		Span:    src.svc.NameSpan,
		Message: fmt.Sprintf("no worker consumes the default queue %q: every worker names its queues with -Q, so tasks CELERY_TASK_ROUTES does not route wait there for ever; add a worker service for it", deflt),
		Related: []rules.Location{{Doc: routes.doc, Span: routes.span, Message: "routes only some tasks"}},
	}
	name := "celery_default"
	if pass.File.Compose.Service(name) == nil {
		if edits, ok := cloneEdits(pass, *src, deflt, name, "default"); ok {
			d.Fixes = []rules.Fix{{Message: "add worker service " + name + " for queue " + deflt, Edits: edits}}
		}
	}
	pass.Report(d)
}

func anyLong(qs []string) bool {
	for _, q := range qs {
		if stack.IsLongTaskQueue(q) {
			return true
		}
	}
	return false
}

func anyOtherFileConsumes(s *stack.Stack, f *stack.File, queue string) bool {
	for _, c := range s.Commands {
		if c.Server.Program != "celery" || c.File == f {
			continue
		}
		o := c.Server.Lookup("queues")
		if o == nil {
			return true
		}
		for _, q := range strings.Split(o.Value, ",") {
			if strings.TrimSpace(q) == queue {
				return true
			}
		}
	}
	return false
}

type place struct {
	doc  *parsers.Document
	span parsers.Span
}

// routing returns where CELERY_TASK_ROUTES is set (nil when it is not: the
// project does not route by queue) and the default queue's name.
func routing(s *stack.Stack) (*place, string) {
	var routes *place
	deflt := "celery"
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		if o := f.Python.Names["CELERY_TASK_ROUTES"]; o != nil && o.Stmt != nil {
			routes = &place{doc: f.Doc, span: o.Stmt.Span}
		}
		if o := f.Python.Names["CELERY_TASK_DEFAULT_QUEUE"]; o != nil {
			if l, ok := o.Value().Effective(); ok && l.Kind == python.Str {
				deflt = l.Str
			}
		}
	}
	return routes, deflt
}

// stem names a queue in service and worker names: "ai_queue" -> "ai".
func stem(q string) string {
	for _, suf := range []string{"_queue", "-queue", ".queue"} {
		q = strings.TrimSuffix(q, suf)
	}
	return strings.NewReplacer("-", "_", ".", "_").Replace(q)
}

// workerEdits are the edits, in the source service's text, that make it
// consume queue alone as worker name worker_<label>.
func workerEdits(pass *rules.Pass, w workerSvc, queue, label string) []edit.TextEdit {
	a := w.cmd.Argv
	var edits []edit.TextEdit
	if o := w.cmd.Lookup("queues"); o != nil {
		edits = append(edits, edit.ArgvSetOption(a, o, queue))
	}
	if o := w.cmd.Lookup("hostname"); o != nil {
		host := "%h"
		if _, h, ok := strings.Cut(o.Value, "@"); ok {
			host = h
		}
		edits = append(edits, edit.ArgvSetOption(a, o, "worker_"+label+"@"+host))
	}
	if o := w.cmd.Lookup("prefetch-multiplier"); o != nil {
		if o.Value != "1" {
			edits = append(edits, edit.ArgvSetOption(a, o, "1"))
		}
	} else {
		var words []string
		if w.cmd.Lookup("queues") == nil {
			words = append(words, "-Q", queue)
		}
		edits = append(edits, edit.ArgvAppend(a, append(words, "--prefetch-multiplier=1")...))
	}
	return edits
}

// cloneEdits adds a copy of w's service, named name, consuming queue.
func cloneEdits(pass *rules.Pass, w workerSvc, queue, name, label string) ([]edit.TextEdit, bool) {
	doc := pass.Doc()
	b, ok := serviceBlock(doc, w.svc)
	if !ok {
		return nil, false
	}
	edits := workerEdits(pass, w, queue, label)
	edits = append(edits, pass.Edit(keySpan(pass.Doc(), w.svc), name))
	if w.svc.ContainerName != nil {
		edits = append(edits, pass.Edit(w.svc.ContainerName.Span, containerName(w.svc.ContainerName, w.svc.Name, name)))
	}
	text := b.text(doc, edits)
	if b.Blank || b.End == len(doc.Src) {
		text = doc.Newline() + text
	}
	at := b.End
	if b.End == len(doc.Src) && !strings.HasSuffix(string(doc.Src), "\n") {
		text = doc.Newline() + strings.TrimSuffix(text, doc.Newline())
	}
	return []edit.TextEdit{pass.Edit(parsers.Span{Start: at, End: at}, text)}, true
}

// containerName renames a container after its new service, in the
// scalar's quoting: wingman_celery_ai -> wingman_celery_default.
func containerName(cn *compose.Scalar, from, to string) string {
	raw := cn.Value
	nv := strings.Replace(raw, from, to, 1)
	if nv == raw {
		nv = raw + "_" + strings.TrimPrefix(to, from+"_")
	}
	switch cn.Node.Style {
	case yaml.DoubleQuotedStyle:
		return `"` + nv + `"`
	case yaml.SingleQuotedStyle:
		return `'` + nv + `'`
	}
	return nv
}

// splitEdits keeps w's first queue in w and adds a service per other
// queue.
func splitEdits(pass *rules.Pass, w workerSvc) ([]edit.TextEdit, bool) {
	doc := pass.Doc()
	b, ok := serviceBlock(doc, w.svc)
	if !ok {
		return nil, false
	}
	first := w.queues[0]
	edits := workerEdits(pass, w, first, stem(first))
	var copies strings.Builder
	for _, q := range w.queues[1:] {
		name := w.svc.Name + "_" + stem(q)
		if pass.File.Compose.Service(name) != nil {
			return nil, false
		}
		ce := workerEdits(pass, w, q, stem(q))
		ce = append(ce, pass.Edit(keySpan(pass.Doc(), w.svc), name))
		if w.svc.ContainerName != nil {
			ce = append(ce, pass.Edit(w.svc.ContainerName.Span, containerName(w.svc.ContainerName, w.svc.Name, name)))
		}
		if b.Blank {
			copies.WriteString(doc.Newline())
		}
		copies.WriteString(b.text(doc, ce))
	}
	text := copies.String()
	if b.End == len(doc.Src) && !strings.HasSuffix(string(doc.Src), "\n") {
		text = doc.Newline() + strings.TrimSuffix(text, doc.Newline())
	}
	edits = append(edits, pass.Edit(parsers.Span{Start: b.End, End: b.End}, text))
	return edits, true
}

// better says w is a better model for a default-queue worker than cur:
// one of short tasks, then one with the prefork pool.
func better(w, cur workerSvc) bool {
	if anyLong(w.queues) != anyLong(cur.queues) {
		return !anyLong(w.queues)
	}
	return w.cmd.WorkerClass() == "prefork" && cur.cmd.WorkerClass() != "prefork"
}
