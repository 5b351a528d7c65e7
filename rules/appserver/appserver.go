// Package appserver holds the app-server rules (HR1xx): how gunicorn and
// uvicorn are started, from Dockerfile CMD/ENTRYPOINT, compose
// `command:`/`entrypoint:` lines and entrypoint scripts, with each option
// read where gunicorn takes it from (command line, GUNICORN_CMD_ARGS,
// config file, WEB_CONCURRENCY) and fixed there.
package appserver

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// kinds are the files server commands are read from: the command's own
// file (Dockerfile, compose file, entrypoint script); a finding may point
// into another file (the config file, an env file) where the value is
// decided.
var kinds = []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose, parsers.KindShell}

// configKinds add the gunicorn config modules no command reads, which
// HR102 and HR103 judge as they stand (unrunConfig).
var configKinds = append(slices.Clip(kinds), parsers.KindPython)

// commands returns the server commands written in the pass's file.
func commands(pass *rules.Pass) []*stack.Command {
	var out []*stack.Command
	for _, c := range pass.Stack.Commands {
		if c.File == pass.File {
			out = append(out, c)
		}
	}
	return out
}

// unseen reports whether a gunicorn option missing everywhere headroom
// looks may still be set where it cannot see: a config file named on the
// command line (or in GUNICORN_CMD_ARGS) that is not in the repository.
func unseen(pass *rules.Pass, c *stack.Command) bool {
	if c.Server.Program != "gunicorn" {
		return false
	}
	_, missing := pass.Stack.Config(c)
	return missing
}

// unseenNotice reports, as info, that c's gunicorn options cannot be
// checked: the config file it names is not in the repository.
func unseenNotice(pass *rules.Pass, c *stack.Command) {
	name := "the config file it names"
	if o := c.Server.Lookup("config"); o != nil {
		name = o.Value
	} else if g, _, ok := pass.Stack.CmdArgs(c); ok && g != nil {
		if o := g.Lookup("config"); o != nil {
			name = o.Value + " (from GUNICORN_CMD_ARGS)"
		}
	}
	pass.Report(rules.Diagnostic{
		Span:     c.Server.ProgramSpan(),
		Severity: rules.Info,
		Message:  fmt.Sprintf("gunicorn reads its settings from %s, which is not in the repository: max_requests, timeout and workers set there cannot be checked", name),
	})
}

// runsGunicorn reports whether the command starts gunicorn.
func runsGunicorn(c *stack.Command) bool { return c.Server.Program == "gunicorn" }

// runsUvicorn reports whether the command starts uvicorn as its own server,
// for production: `--reload` is a development server, which ignores
// --workers and restarts on file changes.
func runsUvicorn(c *stack.Command) bool {
	return c.Server.Program == "uvicorn" && !c.Server.Has("reload")
}

// safeFix returns one safe fix.
func safeFix(msg string, edits ...edit.TextEdit) []rules.Fix {
	return []rules.Fix{{Message: msg, Applicability: rules.Safe, Edits: edits}}
}

func itoa(n int) string { return strconv.Itoa(n) }

// setEdit changes a setting's value where it is decided: the variable
// the deployment sets, the default of a ${VAR:-default}, the option on the
// command line or in GUNICORN_CMD_ARGS, or the config file's assignment.
func setEdit(st *stack.Setting, value string) (edit.TextEdit, bool) {
	switch {
	case st.Env != nil:
		return edit.TextEdit{Path: st.File.Doc.Path, Span: st.Span, New: value}, true
	case st.Source == stack.SourceArgv || st.Source == stack.SourceCmdArgs:
		if st.Span != st.Option.ValueSpan {
			// The default inside ${VAR:-default}.
			return edit.TextEdit{Path: st.File.Doc.Path, Span: st.Span, New: value}, true
		}
		return edit.ArgvSetOption(st.Argv, st.Option, value), true
	case st.Source == stack.SourceConfig:
		v := st.Object.Value()
		if v.Kind == python.EnvDefault && v.Default != nil && v.Default.Value.Kind == python.Literal {
			e, err := edit.PythonSetEnvDefault(st.Config.Doc, v, value)
			return e, err == nil
		}
		if v.Kind != python.Literal {
			return edit.TextEdit{}, false
		}
		e, err := edit.PythonSetValue(st.Config.Doc, st.Object, value)
		return e, err == nil
	}
	return edit.TextEdit{}, false
}

// addEdit adds options missing everywhere: as module-level lines of the
// config file when the command reads one (that is where the author keeps
// gunicorn's settings), else at the end of the command line.
func addEdit(pass *rules.Pass, c *stack.Command, opts ...[2]string) (edit.TextEdit, string) {
	if conf, _ := pass.Stack.Config(c); conf != nil {
		doc := conf.Doc
		nl := doc.Newline()
		var b strings.Builder
		if len(doc.Src) > 0 && doc.Src[len(doc.Src)-1] != '\n' {
			b.WriteString(nl)
		}
		var names []string
		for _, o := range opts {
			name := stack.ConfigName(strings.TrimLeft(o[0], "-"))
			b.WriteString(name + " = " + o[1] + nl)
			names = append(names, name+" = "+o[1])
		}
		return edit.TextEdit{Path: doc.Path, Span: parsers.Span{Start: len(doc.Src), End: len(doc.Src)}, New: b.String()}, strings.Join(names, ", ") + " in " + doc.Path
	}
	var words []string
	for _, o := range opts {
		words = append(words, o[0], o[1])
	}
	return edit.ArgvAppend(c.Server.Argv, words...), strings.Join(words, " ") + " on the command line"
}

// at is a finding located where a setting is decided.
func at(st *stack.Setting) (*parsers.Document, parsers.Span) {
	return st.File.Doc, st.Span
}
