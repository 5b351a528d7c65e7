// Package observability holds the rules on seeing a deployment under load:
// metrics (HR801), error tracking (HR802), gunicorn's access log (HR803)
// and nginx's request timings (HR804).
package observability

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/stack"
)

// apmWrapped reports whether an app server is started under an APM agent
// (ddtrace-run, newrelic-admin run-program, opentelemetry-instrument),
// which brings metrics and error tracking of its own.
func apmWrapped(s *stack.Stack) bool {
	for _, c := range s.Commands {
		if c.Server.ProgramWord > 0 {
			switch base := c.Server.Argv.Words[0].Value; {
			case strings.HasSuffix(base, "ddtrace-run"), strings.HasSuffix(base, "newrelic-admin"), strings.HasSuffix(base, "opentelemetry-instrument"):
				return true
			}
		}
	}
	return false
}

// appsModule is the settings module that sets INSTALLED_APPS (the one the
// observability findings point at), and the statement.
func appsModule(s *stack.Stack) (*stack.File, *python.Object) {
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		if o := f.Python.Names["INSTALLED_APPS"]; o != nil && o.Stmt != nil && !o.Conditional {
			return f, o
		}
	}
	return nil, nil
}

// settingText is the source of a module-level setting's statements (every
// statement binding the name, += and .append included as written).
func settingText(s *stack.Stack, name string) string {
	var b strings.Builder
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		for _, st := range f.Python.Statements {
			if st.Name == name {
				b.WriteString(f.Doc.Text(st.Span))
			}
		}
		// MIDDLEWARE.insert(0, ...) / INSTALLED_APPS.append(...) calls.
		src := string(f.Doc.Src)
		for _, m := range []string{name + ".append(", name + ".insert(", name + ".extend(", name + " +="} {
			if i := strings.Index(src, m); i >= 0 {
				end := strings.IndexByte(src[i:], '\n')
				if end < 0 {
					end = len(src) - i
				}
				b.WriteString(src[i : i+end])
			}
		}
	}
	return b.String()
}
