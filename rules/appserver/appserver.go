// Package appserver holds the app-server rules (HR1xx): how gunicorn and
// uvicorn are started, from Dockerfile CMD/ENTRYPOINT and compose
// `command:`/`entrypoint:` lines.
package appserver

import (
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/gunicorn"
	"github.com/headroom-dev/headroom/parsers/stack"
	"github.com/headroom-dev/headroom/rules"
)

// kinds are the files server commands are read from.
var kinds = []parsers.Kind{parsers.KindDockerfile, parsers.KindCompose}

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

// env returns a variable the command's environment sets in the same file:
// the Dockerfile's ENV in the final stage, or the compose service's
// environment.
func env(c *stack.Command, name string) (value string, found bool) {
	switch {
	case c.File.Dockerfile != nil:
		if e, ok := c.File.Dockerfile.LookupEnv(name); ok {
			return e.Value, true
		}
	case c.File.Compose != nil:
		if svc := service(c.File.Compose, c.Service); svc != nil {
			if e, ok := svc.Env(name); ok {
				return e.Value, e.HasValue
			}
		}
	}
	return "", false
}

func service(f *compose.File, name string) *compose.Service {
	for _, s := range f.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// setElsewhere reports whether a gunicorn option that is missing from the
// command line may be set another way, so that its absence proves nothing:
// a config file (-c), or GUNICORN_CMD_ARGS naming it. A config file is not
// read yet, so any option may be in it.
func setElsewhere(c *stack.Command, name string) bool {
	if c.Server.Has("config") {
		return true
	}
	args, ok := env(c, "GUNICORN_CMD_ARGS")
	if !ok {
		return false
	}
	words := []parsers.Word{{Value: "gunicorn"}}
	for _, f := range strings.Fields(args) {
		words = append(words, parsers.Word{Value: f})
	}
	g := gunicorn.Parse(parsers.Argv{Words: words})
	return g != nil && g.Has(name)
}

// runsGunicorn reports whether the command starts gunicorn.
func runsGunicorn(c *stack.Command) bool { return c.Server.Program == "gunicorn" }

// runsUvicorn reports whether the command starts uvicorn as its own server,
// for production: `--reload` is a development server, which ignores
// --workers and restarts on file changes.
func runsUvicorn(c *stack.Command) bool {
	return c.Server.Program == "uvicorn" && !c.Server.Has("reload")
}

// fixEdits returns one safe fix.
func safeFix(msg string, edits ...rules.TextEdit) []rules.Fix {
	return []rules.Fix{{Message: msg, Applicability: rules.Safe, Edits: edits}}
}

func itoa(n int) string { return strconv.Itoa(n) }
