// Package report is `headroom report`: the capacity report of a
// deployment, derived in the open from the capacity model. It renders the
// current configuration (every number with where it was read), the
// estimated capacity of each web service from Little's law with its
// assumptions beside it, the bottlenecks (the findings, ordered by what
// they cost at that load, with the fix `fix` would write or why it will
// not), the same model after the safe fixes of phases 1, 2 and 3 are
// applied in memory, and what to watch. Markdown, a self-contained HTML
// page and JSON (report.schema.json) render the same Report.
package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// SchemaVersion is the version of the JSON shape (report.schema.json).
const SchemaVersion = 1

// Options are what a report is built with.
type Options struct {
	Assumptions Assumptions
	// Rules are the rules whose findings are the bottlenecks and whose
	// safe fixes make the phases (those of phase 1, 2, 3 in turn).
	Rules []*rules.Rule
	// Settings are the project's targets, severities and ignores (nil:
	// defaults).
	Settings *driver.Settings
}

// Report is the whole report; JSON encodes it as report.schema.json says.
type Report struct {
	SchemaVersion int           `json:"schema_version"`
	Assumptions   Assumptions   `json:"assumptions"`
	Deployments   []*Deployment `json:"deployments"`
	// Phases are the deployments after the safe fixes of phase 1, then 1
	// and 2, then 1 to 3, applied in memory.
	Phases []*Phase `json:"phases"`
}

// Source is where a number was read.
type Source struct {
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	What    string `json:"what"`
	Default bool   `json:"default,omitempty"`
	// Declared says .headroom.yaml declares the value (infrastructure:).
	Declared bool `json:"declared,omitempty"`
	// span is the value's bytes in Path (valid when hasSpan), for hover
	// on a value (ModelAt); a declared value has its line only.
	span    parsers.Span
	hasSpan bool
}

// SourceOf is a model source as the JSON outputs show it.
func SourceOf(s capacity.Source) Source {
	out := Source{Path: s.Path(), Line: s.Line(), What: s.What, Default: s.Default, Declared: s.Declared}
	if s.Doc != nil && !s.Declared {
		out.span, out.hasSpan = s.Span, true
		if s.Setting.Len() > 0 {
			out.span = s.Setting
		}
	}
	return out
}

// at reports whether the value was read at offset off of path (line is
// off's 1-based line): inside its bytes or just after them, where an
// editor's cursor rests at the end of a word; a declared value, whose
// bytes are not kept, anywhere on its line.
func (s Source) at(path string, line, off int) bool {
	if s.Path == "" || s.Path != path {
		return false
	}
	if !s.hasSpan {
		return s.Declared && s.Line == line
	}
	return off >= s.span.Start && off <= s.span.End
}

func source(s capacity.Source) Source { return SourceOf(s) }

// String is "path:line: what", or "default: what".
func (s Source) String() string {
	if s.Path != "" {
		return fmt.Sprintf("%s:%d: %s", parsers.ShowPath(s.Path), s.Line, s.What)
	}
	return "default: " + s.What
}

// Count is a number of the model and where it was read.
type Count struct {
	N       int    `json:"n"`
	AtLeast bool   `json:"at_least,omitempty"`
	From    Source `json:"from"`
}

func count(c capacity.Count) Count { return Count{N: c.N, AtLeast: !c.Known, From: source(c.From)} }

// Connections is what a service holds of one server.
type Connections struct {
	Server     string `json:"server"`
	Kind       string `json:"kind"` // "postgres", or the Redis client's kind
	Name       string `json:"name"` // the alias, cache or setting
	Mode       string `json:"mode,omitempty"`
	PerProcess int    `json:"per_process"`
	Total      int    `json:"total"`
	AtLeast    bool   `json:"at_least,omitempty"`
	From       Source `json:"from"`
	// ModelCheck says whether make validate-model measures this kind of
	// connection (trust.go).
	ModelCheck capacity.Trust `json:"model_check"`
}

// Limit is a container limit.
type Limit struct {
	Value float64 `json:"value"`
	From  Source  `json:"from"`
}

// Service is one unit of the model with its estimated capacity.
type Service struct {
	Name        string `json:"name"`
	Role        string `json:"role"` // web, worker, beat, other
	Server      string `json:"server"`
	WorkerClass string `json:"worker_class"`
	ASGI        bool   `json:"asgi"`
	Command     Source `json:"command"`
	Replicas    Count  `json:"replicas_from"`
	// Processes, Threads and Greenlets are per container, Concurrency what
	// one process serves at once, as capacity.Of reads them.
	ProcessesN  int    `json:"processes"`
	ThreadsN    int    `json:"threads"`
	ReplicasN   int    `json:"replicas"`
	GreenletsN  int    `json:"greenlets"`
	Concurrency Count  `json:"concurrency"`
	ProcessesAt Count  `json:"processes_from"`
	ThreadsAt   *Count `json:"threads_from,omitempty"`
	GreenletsAt *Count `json:"greenlets_from,omitempty"`
	// InFlight is the requests (web) or tasks (worker) the service holds at
	// once at its binding bound; nil when none could be read.
	InFlight *int `json:"in_flight"`
	// ThroughputRPS is InFlight / request time (web only; nil otherwise,
	// or when no bound could be read).
	ThroughputRPS *float64 `json:"throughput_rps"`
	// Saturates is the resource that binds first: workers, database,
	// redis, cpu; "none" when no bound could be read; "" for a service
	// that serves no HTTP.
	Saturates   string        `json:"saturates"`
	Bounds      []Bound       `json:"bounds"`
	Connections []Connections `json:"connections"`
	CPUs        *Limit        `json:"cpus,omitempty"`
	MemoryMiB   *Limit        `json:"memory_mib,omitempty"`
	Settings    string        `json:"settings,omitempty"`
	// ModelCheck says whether make validate-model measures the throughput
	// (web) or tasks in flight (worker) of this kind of unit (trust.go);
	// nil for other roles.
	ModelCheck *capacity.Trust `json:"model_check,omitempty"`

	unit *capacity.Unit
}

// Term is one service's share of a budget.
type Term struct {
	Service    string `json:"service"`
	N          int    `json:"n"`
	PerProcess int    `json:"per_process"`
	AtLeast    bool   `json:"at_least,omitempty"`
	Text       string `json:"text"`
	// Note is what the unit's pool costs it (capacity.Term.Note).
	Note string `json:"note,omitempty"`
	// Leak says why the share grows with the work served
	// (capacity.Term.Leak): N is then a floor.
	Leak string `json:"leak,omitempty"`
}

// Budget is one resource's use against its limit (capacity.Budget).
type Budget struct {
	Key        string `json:"key"`
	Resource   string `json:"resource"`
	Name       string `json:"name"`
	Unit       string `json:"unit"`
	Used       int    `json:"used"`
	AtLeast    bool   `json:"at_least,omitempty"`
	AtMost     bool   `json:"at_most,omitempty"`
	Limit      int    `json:"limit"`
	Reserved   int    `json:"reserved,omitempty"`
	Usable     int    `json:"usable"`
	LimitKnown bool   `json:"limit_known"`
	Assumed    bool   `json:"assumed,omitempty"`
	Over       bool   `json:"over"`
	LimitFrom  Source `json:"limit_from"`
	Terms      []Term `json:"terms"`
}

// Deployment is one deployment's configuration, capacity and
// bottlenecks.
type Deployment struct {
	Root     string     `json:"root"`
	Services []*Service `json:"services"`
	Budgets  []Budget   `json:"budgets"`
	// WebThroughputRPS is the sum over the web services (nil when one of
	// them has no bound).
	WebThroughputRPS *float64     `json:"web_throughput_rps"`
	Saturates        []string     `json:"saturates"`
	Bottlenecks      []Bottleneck `json:"bottlenecks"`
	Monitoring       []Watch      `json:"monitoring"`

	stack *stack.Stack
	model *capacity.Model
}

// Build derives the report of each deployment.
func Build(stacks []*stack.Stack, opt Options) *Report {
	a := opt.Assumptions
	if a.WorkerMemoryMB <= 0 {
		a.WorkerMemoryMB = capacity.DefaultWorkerMemoryMB
	}
	if a.Infra == nil && opt.Settings != nil && opt.Settings.Targets != nil {
		a.Infra = opt.Settings.Targets.Infrastructure
	}
	opt.Assumptions = a
	r := &Report{SchemaVersion: SchemaVersion, Assumptions: a, Deployments: []*Deployment{}, Phases: []*Phase{}}
	deps := []*Deployment{}
	for _, s := range stacks {
		if len(s.Files) == 0 {
			continue
		}
		deps = append(deps, deployment(s, a))
	}
	r.Deployments = deps
	if len(deps) == 0 {
		return r
	}
	// One goroutine: stack.New re-links the nginx files the stacks of a
	// deployment share, so two stacks are never assembled at once.
	r.Phases = phases(deps, opt)
	for i, d := range deps {
		diags, found := costs(d, opt)
		d.Bottlenecks = ranked(found, diags, r.Phases, i)
		d.Monitoring = monitoring(d)
	}
	return r
}

// deployment builds the configuration and capacity of one stack.
func deployment(s *stack.Stack, a Assumptions) *Deployment {
	m := capacity.With(s, a.capacity())
	d := &Deployment{Root: s.Root(), Services: []*Service{}, Budgets: []Budget{}, Saturates: []string{}, Bottlenecks: []Bottleneck{}, Monitoring: []Watch{}, stack: s, model: m}
	total, bounded := 0.0, true
	seen := map[string]bool{}
	for _, u := range m.Units {
		svc := service(m, u, a)
		d.Services = append(d.Services, svc)
		if svc.Role != "web" {
			continue
		}
		if svc.ThroughputRPS == nil {
			bounded = false
		} else {
			total += *svc.ThroughputRPS
		}
		if !seen[svc.Saturates] {
			seen[svc.Saturates] = true
			d.Saturates = append(d.Saturates, svc.Saturates)
		}
	}
	if bounded && len(seen) > 0 {
		d.WebThroughputRPS = &total
	}
	for _, b := range m.Budgets() {
		d.Budgets = append(d.Budgets, BudgetOf(b))
	}
	return d
}

// bound is "at least " for a floor, "at most " for the pools' ceiling.
func (b Budget) bound() string {
	if b.AtMost {
		return "at most "
	}
	return atLeast(b.AtLeast)
}

// BudgetOf is a model budget as the JSON outputs show it.
func BudgetOf(b capacity.Budget) Budget {
	out := Budget{Key: b.Key, Resource: string(b.Resource), Name: b.Name, Unit: b.Unit, Used: b.Used, AtLeast: b.Lower, AtMost: b.Ceiling,
		Limit: b.Limit, Reserved: b.Reserved, Usable: b.Usable(), LimitKnown: b.LimitKnown, Assumed: b.Assumed, Over: b.Over(),
		LimitFrom: source(b.LimitFrom), Terms: []Term{}}
	for _, t := range b.Terms {
		out.Terms = append(out.Terms, Term{Service: t.Unit.Service, N: t.N, PerProcess: t.PerProcess, AtLeast: t.Lower, Text: t.Text, Note: t.Note, Leak: t.Leak})
	}
	return out
}

func role(u *capacity.Unit) string {
	switch {
	case u.Web:
		return "web"
	case u.Server == capacity.CeleryWorker:
		return "worker"
	case u.Server == capacity.CeleryBeat:
		return "beat"
	}
	return "other"
}

// service is one unit's configuration and estimated capacity.
func service(m *capacity.Model, u *capacity.Unit, a Assumptions) *Service {
	svc := &Service{
		Name: u.Service, Role: role(u), Server: serverName(u), WorkerClass: u.WorkerClass, ASGI: u.ASGI,
		Command:  source(capacity.Source{Doc: u.Doc, Span: u.Argv.Span, What: "command line"}),
		Replicas: count(u.Replicas), ReplicasN: u.Replicas.N,
		ProcessesN: u.Processes.N, ThreadsN: u.Threads.N, GreenletsN: u.Greenlets.N,
		Concurrency: count(u.Concurrency), ProcessesAt: count(u.Processes),
		Bounds: []Bound{}, Connections: []Connections{}, unit: u,
	}
	if u.Threads.N > 1 {
		c := count(u.Threads)
		svc.ThreadsAt = &c
	}
	if u.Greenlets.N > 0 {
		c := count(u.Greenlets)
		svc.GreenletsAt = &c
	}
	if u.Settings != nil {
		svc.Settings = u.Settings.Module.Doc.Path
	}
	for _, p := range u.Postgres {
		c := Connections{Server: p.Host, Kind: "postgres", Name: p.Alias, Mode: p.Mode.String(), PerProcess: p.PerProcess,
			Total: u.Total() * p.PerProcess, AtLeast: p.Lower || u.Lower(), From: source(p.From)}
		if srv := m.PostgresServer(p.Host); srv != nil {
			c.Server = srv.Name
		}
		svc.Connections = append(svc.Connections, c)
	}
	for _, r := range u.Redis {
		svc.Connections = append(svc.Connections, Connections{Server: redisName(m, r.Host), Kind: r.Kind, Name: r.Name, PerProcess: r.PerProcess,
			Total: u.Total() * r.PerProcess, AtLeast: r.Lower, From: source(r.Cap.From)})
	}
	if len(u.WorkerRedis) > 0 {
		// The worker's own connections: per container, none per process.
		n := 0
		var steps, why []string
		for _, w := range u.WorkerRedis {
			n += w.N
			steps = append(steps, w.Step)
			why = append(why, fmt.Sprintf("%s %d: %s", w.Step, w.N, w.Why))
		}
		svc.Connections = append(svc.Connections, Connections{Server: redisName(m, u.WorkerRedisHost), Kind: "celery worker", Name: strings.Join(steps, ", "),
			Total: u.Replicas.N * n, AtLeast: !u.Replicas.Known, From: source(capacity.Source{What: fmt.Sprintf("%d per container: %s", n, strings.Join(why, "; ")), Default: true})})
	}
	if u.CPUs != nil {
		svc.CPUs = &Limit{Value: u.CPUs.Value, From: source(u.CPUs.From)}
	}
	if u.Memory != nil {
		svc.MemoryMiB = &Limit{Value: u.Memory.Value / (1 << 20), From: source(u.Memory.From)}
	}
	switch svc.Role {
	case "web":
		svc.Bounds = bounds(m, u, a)
		b, ok := binding(svc.Bounds)
		if !ok {
			svc.Saturates = None
			break
		}
		svc.Saturates = b.Resource
		inflight := int(b.InFlight + 1e-9)
		tp := b.ThroughputRPS
		svc.InFlight, svc.ThroughputRPS = &inflight, &tp
	case "worker", "beat":
		n := u.Replicas.N * u.Processes.N * u.Concurrency.N
		if u.EmbedsBeat {
			n = u.Replicas.N * (u.Processes.N - 1) * u.Concurrency.N
		}
		svc.InFlight = &n
	}
	markTrust(svc, u)
	return svc
}

func serverName(u *capacity.Unit) string {
	switch u.Server {
	case capacity.CeleryWorker, capacity.CeleryBeat:
		return "celery"
	}
	return string(u.Server)
}

func redisName(m *capacity.Model, host string) string {
	for _, s := range m.Redis {
		for _, h := range s.Hosts {
			if h == host {
				return s.Name
			}
		}
	}
	return host
}

// webServices are the deployment's services that serve HTTP.
func (d *Deployment) webServices() []*Service {
	var out []*Service
	for _, s := range d.Services {
		if s.Role == "web" {
			out = append(out, s)
		}
	}
	return out
}

// budgetsByKey maps budgets by key.
func budgetsByKey(bs []Budget) map[string]Budget {
	out := make(map[string]Budget, len(bs))
	for _, b := range bs {
		out[b.Key] = b
	}
	return out
}

// sortedKeys returns the keys of a set, sorted.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func join(parts []string) string { return strings.Join(parts, ", ") }

// Label is the budget's server or service in messages (capacity.Budget.Label).
func (b Budget) Label() string {
	return capacity.Budget{Name: b.Name, Resource: capacity.Resource(b.Resource)}.Label()
}
