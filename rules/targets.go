package rules

import "github.com/headroom-dev/headroom/capacity"

// Targets are the values fixes write. The defaults are the capacity
// report's; a project's .headroom.yaml overrides them.
type Targets struct {
	Workers int // HR101: worker processes per app-server command
	// WorkersAuto sizes workers as 2 x CPU budget + 1 where compose states
	// the budget (deploy.resources.limits.cpus or cpus), Workers elsewhere.
	WorkersAuto bool
	// WorkerMemoryMB is the memory one app-server or worker process is
	// taken to use, in MiB: HR101 keeps workers x this within a
	// container's memory limit, and the memory budgets count it.
	WorkerMemoryMB      int
	MaxRequests         int // HR102
	MaxRequestsJitter   int // HR102
	Timeout             int // HR103, seconds
	ConnMaxAge          int // HR201 under WSGI, seconds
	RedisMaxConnections int // HR301, per process
	RedisSocketTimeout  int // HR302, seconds
	UpstreamKeepalive   int // HR401, idle connections per nginx worker
	GzipTypes           []string
	GzipMinLength       int // HR402, bytes
	// KeepAliveMargin is how much longer than nginx's upstream
	// keepalive_timeout the app server keeps idle connections (HR404),
	// seconds.
	KeepAliveMargin int
	// Infrastructure is what .headroom.yaml declares of the servers and
	// services outside the repository (nil: nothing).
	Infrastructure *capacity.Infrastructure
}

// Capacity is the options of the capacity model these targets imply: the
// per-worker memory estimate and the declared infrastructure. Every rule,
// the fix planner, `headroom model` and `headroom report` build the model
// with them, so all read the same declared values.
func (t *Targets) Capacity() capacity.Options {
	if t == nil {
		return capacity.Options{}
	}
	return capacity.Options{WorkerMemoryMB: t.WorkerMemoryMB, Infra: t.Infrastructure}
}

// DefaultTargets returns the report's values.
func DefaultTargets() *Targets {
	return &Targets{
		Workers:             8,
		WorkerMemoryMB:      256,
		MaxRequests:         1000,
		MaxRequestsJitter:   50,
		Timeout:             60,
		ConnMaxAge:          600,
		RedisMaxConnections: 200,
		RedisSocketTimeout:  5,
		UpstreamKeepalive:   32,
		// text/html is always compressed and listing it makes nginx warn;
		// text/event-stream must stay out (it would buffer the stream).
		GzipTypes:       []string{"text/plain", "text/css", "application/json", "application/javascript", "text/javascript"},
		GzipMinLength:   1000,
		KeepAliveMargin: 5,
	}
}
