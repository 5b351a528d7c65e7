package appserver

import (
	"fmt"
	"path"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// UvicornWorker is HR106.
var UvicornWorker = &rules.Rule{
	ID:       "HR106",
	Name:     "uvicorn-worker-deprecated",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    kinds,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "gunicorn runs uvicorn.workers.UvicornWorker, deprecated since uvicorn 0.30",
		Why: `uvicorn 0.30.0 deprecated its gunicorn worker classes (uvicorn.workers.UvicornWorker
and UvicornH11Worker) and moved them to the separate uvicorn-worker package, where they
are maintained as uvicorn_worker.UvicornWorker; the old module warns at start-up and
is due to be removed, at which point gunicorn fails to boot the workers. The rule
reads the uvicorn version from the requirements (the lowest version they allow), so
it says nothing where uvicorn is older than 0.30 or not pinned.`,
		Impact: "none today; a uvicorn upgrade that drops uvicorn.workers would stop the web service from starting",
		Fix: `Changes the worker class (-k / --worker-class, every occurrence) to
uvicorn_worker.UvicornWorker (or UvicornH11Worker), where the class is
written: on the command line, or, for -k "$WORKER_CLASS", where the variable
gets it (a start script's ${WORKER_CLASS:-"uvicorn.workers.UvicornWorker"}
default, a compose environment entry), and, in the same fix, adds
uvicorn-worker on the line after uvicorn in the requirements file that lists it (not
pinned: choose the version). Unsafe (--unsafe-fixes): the image must be rebuilt with
the new package, or the workers fail to import. No fix when the requirements are not
a requirements .txt file.`,
		Bad:  `CMD ["gunicorn", "app.asgi:application", "-k", "uvicorn.workers.UvicornWorker"]`,
		Good: `CMD ["gunicorn", "app.asgi:application", "-k", "uvicorn_worker.UvicornWorker"]`,
		Sources: []string{
			"https://www.uvicorn.org/release-notes/#0300-2024-05-28",
			"https://www.uvicorn.org/deployment/#gunicorn",
			"https://github.com/Kludex/uvicorn-worker",
		},
		Since: "0.1.0",
	},
	Check: checkUvicornWorker,
}

func init() { rules.Register(UvicornWorker) }

func checkUvicornWorker(pass *rules.Pass) {
	uv, ok := pass.Stack.Version("uvicorn")
	if !ok || !uv.Version.Known() || !uv.Version.AtLeast(0, 30) {
		return
	}
	for _, c := range commands(pass) {
		if !runsGunicorn(c) {
			continue
		}
		var edits []edit.TextEdit
		var first *parsers.Span
		var class, where string
		for _, o := range c.Server.All("worker-class") {
			value, e := o.Value, edit.TextEdit{}
			if st := pass.Stack.Setting(c, "worker-class"); strings.Contains(value, "$") && st != nil && st.Env != nil && st.Known &&
				st.Option != nil && st.Option.ValueSpan == o.ValueSpan {
				// -k "$WORKER_CLASS": the class the variable carries
				// (a script's ${WORKER_CLASS:-...} default, a compose
				// environment entry), changed where it is set.
				value = st.Value
				if ed, ok := setEdit(st, "uvicorn_worker."+strings.TrimPrefix(value, "uvicorn.workers.")); ok {
					e = ed
				}
				where = " (" + st.Env.Name + ": " + st.Env.Where + ")"
			} else {
				e = edit.ArgvSetOption(c.Server.Argv, o, "uvicorn_worker."+strings.TrimPrefix(o.Value, "uvicorn.workers."))
			}
			if !strings.HasPrefix(value, "uvicorn.workers.") {
				continue
			}
			if first == nil {
				first, class = &o.ValueSpan, value
			}
			if e.Path != "" {
				edits = append(edits, e)
			}
		}
		if first == nil {
			continue
		}
		d := rules.Diagnostic{
			Span: *first,
			Message: fmt.Sprintf("%s%s is deprecated since uvicorn 0.30 (the requirements allow %s): use uvicorn_worker.%s from the uvicorn-worker package",
				class, where, uv.Version, strings.TrimPrefix(class, "uvicorn.workers.")),
		}
		if uv.Doc != nil && uv.Line > 0 {
			d.Related = []rules.Location{{Doc: uv.Doc, Span: uv.Doc.LineSpan(uv.Line), Message: "uvicorn " + uv.Version.String()}}
		}
		if req, ok := requirementEdit(pass); ok && len(edits) > 0 {
			d.Fixes = []rules.Fix{{
				Message:       "switch to uvicorn_worker." + strings.TrimPrefix(class, "uvicorn.workers.") + " and add uvicorn-worker to " + req.Path,
				Applicability: rules.Unsafe,
				Edits:         append(edits, req),
			}}
		}
		pass.Report(d)
	}
}

// requirementEdit adds uvicorn-worker after the uvicorn line of the
// requirements .txt file that lists uvicorn; nothing when it is already
// listed or the file is not a .txt.
func requirementEdit(pass *rules.Pass) (edit.TextEdit, bool) {
	if _, listed := pass.Stack.Version("uvicorn-worker"); listed {
		return edit.TextEdit{}, false
	}
	uv, _ := pass.Stack.Version("uvicorn")
	doc := uv.Doc
	if doc == nil || uv.Line <= 0 || path.Ext(doc.Path) != ".txt" {
		return edit.TextEdit{}, false
	}
	end := doc.LineSpan(uv.Line).End
	nl := doc.Newline()
	if rest := string(doc.Src[end:]); strings.HasPrefix(rest, "\r\n") || strings.HasPrefix(rest, "\n") {
		at := end + strings.Index(rest, "\n") + 1
		return edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: at, End: at}, New: "uvicorn-worker" + nl}, true
	}
	return edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: end, End: end}, New: nl + "uvicorn-worker"}, true
}
