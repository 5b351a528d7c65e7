// Package gunicorn models the options of app servers and workers (gunicorn,
// uvicorn, daphne, celery worker) from any argv, with a span per option.
package gunicorn

import "github.com/headroom-dev/headroom/parsers"

// Mode is the protocol an app server speaks to the app.
type Mode int

const (
	Unknown Mode = iota
	WSGI
	ASGI
)

// Command is one parsed app-server command line.
type Command struct {
	Argv    parsers.Argv
	Program string // "gunicorn", "uvicorn", "daphne", "celery"
}

// Parse returns nil when argv runs no known app server.
func Parse(argv parsers.Argv) *Command { return nil }

// Mode says whether the command serves WSGI or ASGI.
func (c *Command) Mode() Mode { return Unknown }

// WorkerClass is the worker class the command runs ("sync" when unset).
func (c *Command) WorkerClass() string { return "sync" }
