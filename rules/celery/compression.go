package celery

import (
	"fmt"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// Compression is HR506.
var Compression = &rules.Rule{
	ID:       "HR506",
	Name:     "celery-compression",
	Phase:    2,
	Severity: rules.Info,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "Celery compresses every task message and result",
		Why: `CELERY_TASK_COMPRESSION and CELERY_RESULT_COMPRESSION compress every message,
whatever its size. Task messages of a web backend are small (ids and a few arguments,
well under a kilobyte): gzip saves a few bytes there, or adds its own header, and costs
CPU on the web process that sends and the worker that receives, on every task.
Compression pays for large payloads (documents, embeddings); those are better passed by
reference (a storage key) than through the broker.

The report marks these settings as already right; they are the opposite of what a
broker carrying small messages wants.`,
		Impact: "less CPU per task on senders and workers (the report's phase 2, item 8)",
		Fix: `Unsafe: removes the setting. Workers read the compression from each message's
headers, so old and new messages mix safely; it is unsafe only because headroom cannot
see how large the payloads are.`,
		Bad:  `CELERY_TASK_COMPRESSION = "gzip"`,
		Good: `# no compression for small task messages`,
		Sources: []string{
			"https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-compression",
			"https://docs.celeryq.dev/en/stable/userguide/calling.html#compression",
		},
		Since: "0.2.0",
	},
	Check: checkCompression,
}

func init() { rules.Register(Compression) }

func checkCompression(pass *rules.Pass) {
	if !settingsApply(pass.Stack) {
		return
	}
	m := pass.File.Python
	for _, name := range []string{"CELERY_TASK_COMPRESSION", "CELERY_RESULT_COMPRESSION"} {
		o := m.Names[name]
		if o == nil || o.Conditional {
			continue
		}
		v, ok := strLit(o)
		if !ok || v == "" {
			continue
		}
		d := rules.Diagnostic{
			Span:    o.Span(),
			Message: fmt.Sprintf("%s = %q compresses every message, however small: task messages of a few hundred bytes gain nothing and cost CPU on both sides", name, v),
		}
		if st := o.Stmt; st.Indent == "" && len(st.Keys) == 0 && st.Op == "=" {
			start := pass.Doc().Offset(pass.Doc().Position(st.Span.Start).Line, 1)
			d.Fixes = []rules.Fix{{Message: "remove " + name, Applicability: rules.Unsafe,
				Edits: []edit.TextEdit{pass.Edit(parsers.Span{Start: start, End: st.LineEnd}, "")}}}
		}
		pass.Report(d)
	}
}
