package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// The JSON shape of the model.
type (
	ModelSource = Source
	ModelCount  struct {
		N     int         `json:"n"`
		Known bool        `json:"known"`
		From  ModelSource `json:"from"`
	}
	ModelLimit struct {
		Value float64     `json:"value"`
		From  ModelSource `json:"from"`
	}
	ModelPG struct {
		Alias      string      `json:"alias"`
		Host       string      `json:"host"`
		Mode       string      `json:"mode"`
		Min        int         `json:"min"`
		Max        int         `json:"max"`
		PerProcess int         `json:"per_process"`
		AtLeast    bool        `json:"at_least,omitempty"`
		From       ModelSource `json:"from"`
		Note       string      `json:"note,omitempty"`
	}
	ModelRedis struct {
		Kind       string     `json:"kind"`
		Name       string     `json:"name"`
		Host       string     `json:"host"`
		Cap        ModelCount `json:"cap"`
		PerProcess int        `json:"per_process"`
		AtLeast    bool       `json:"at_least,omitempty"`
		// Pool is the pool class where the settings name one; WaitSeconds
		// how long a blocking pool waits for a free connection (0: forever).
		Pool        string `json:"pool,omitempty"`
		WaitSeconds *int   `json:"wait_seconds,omitempty"`
	}
	// ModelWorkerConn is one of the connections a celery worker container
	// holds for itself.
	ModelWorkerConn struct {
		Step string `json:"step"`
		Host string `json:"host"`
		N    int    `json:"per_container"`
		Why  string `json:"why"`
	}
	ModelUnit struct {
		Service     string            `json:"service"`
		Command     *ModelSource      `json:"command,omitempty"`
		Server      string            `json:"server"`
		WorkerClass string            `json:"worker_class"`
		Web         bool              `json:"web"`
		ASGI        bool              `json:"asgi"`
		Replicas    ModelCount        `json:"replicas"`
		Processes   ModelCount        `json:"processes"`
		Threads     ModelCount        `json:"threads"`
		Greenlets   *ModelCount       `json:"greenlets,omitempty"`
		Concurrency ModelCount        `json:"concurrency"`
		Settings    string            `json:"settings,omitempty"`
		Postgres    []ModelPG         `json:"postgres"`
		Redis       []ModelRedis      `json:"redis"`
		WorkerRedis []ModelWorkerConn `json:"worker_redis,omitempty"`
		CPUs        *ModelLimit       `json:"cpus,omitempty"`
		MemoryBytes *ModelLimit       `json:"memory_bytes,omitempty"`
		// ModelCheck says, per figure (throughput or tasks in flight, each
		// PostgreSQL alias, each Redis client), whether make validate-model
		// measures this kind of unit (capacity.Measured).
		ModelCheck []capacity.Trust `json:"model_check"`
	}
	ModelBudget     = Budget
	ModelDeployment struct {
		Root    string        `json:"root"`
		Units   []ModelUnit   `json:"units"`
		Budgets []ModelBudget `json:"budgets"`
		// Assumptions are the values the model takes on trust, each with
		// where it is used and the key of .headroom.yaml that replaces it.
		Assumptions []capacity.Assumption `json:"assumptions"`
	}
)

func modelCount(c capacity.Count) ModelCount {
	return ModelCount{N: c.N, Known: c.Known, From: SourceOf(c.From)}
}

func modelLimit(l *capacity.Limit) *ModelLimit {
	if l == nil {
		return nil
	}
	return &ModelLimit{Value: l.Value, From: SourceOf(l.From)}
}

// ModelOf is the deployment s as `headroom model` shows it, from its
// capacity model m.
func ModelOf(s *stack.Stack, m *capacity.Model) ModelDeployment {
	d := ModelDeployment{Root: s.Root(), Units: []ModelUnit{}, Budgets: []ModelBudget{}, Assumptions: m.Assumptions()}
	for _, u := range m.Units {
		mu := ModelUnit{
			Service: u.Service, Server: string(u.Server), WorkerClass: u.WorkerClass, Web: u.Web, ASGI: u.ASGI,
			Replicas: modelCount(u.Replicas), Processes: modelCount(u.Processes), Threads: modelCount(u.Threads), Concurrency: modelCount(u.Concurrency),
			Postgres: []ModelPG{}, Redis: []ModelRedis{}, CPUs: modelLimit(u.CPUs), MemoryBytes: modelLimit(u.Memory),
		}
		cmd := SourceOf(capacity.Source{Doc: u.Doc, Span: u.Argv.Span, What: "command line"})
		mu.Command = &cmd
		if u.Greenlets.N > 0 {
			g := modelCount(u.Greenlets)
			mu.Greenlets = &g
		}
		if u.Settings != nil {
			mu.Settings = u.Settings.Module.Doc.Path
		}
		for _, p := range u.Postgres {
			mu.Postgres = append(mu.Postgres, ModelPG{Alias: p.Alias, Host: p.Host, Mode: p.Mode.String(), Min: p.Min, Max: p.Max, PerProcess: p.PerProcess, AtLeast: p.Lower, From: SourceOf(p.From), Note: p.Note})
		}
		for _, r := range u.Redis {
			mr := ModelRedis{Kind: r.Kind, Name: r.Name, Host: r.Host, Cap: modelCount(r.Cap), PerProcess: r.PerProcess, AtLeast: r.Lower}
			if r.ClassObject != nil {
				mr.Pool = r.Class
			}
			if r.Blocking {
				w := r.Wait.N
				mr.WaitSeconds = &w
			}
			mu.Redis = append(mu.Redis, mr)
		}
		for _, w := range u.WorkerRedis {
			mu.WorkerRedis = append(mu.WorkerRedis, ModelWorkerConn{Step: w.Step, Host: u.WorkerRedisHost, N: w.N, Why: w.Why})
		}
		mu.ModelCheck = modelChecks(u)
		d.Units = append(d.Units, mu)
	}
	for _, b := range m.Budgets() {
		d.Budgets = append(d.Budgets, BudgetOf(b))
	}
	return d
}

func (c ModelCount) text() string {
	if c.Known {
		return fmt.Sprint(c.N)
	}
	return fmt.Sprintf("at least %d", c.N)
}

func (c ModelCount) words(word string) string {
	w := text.Plural(c.N, word)
	if !c.Known {
		w = "at least " + w
	}
	return w
}

// PrintModel writes the deployments as `headroom model` prints them.
func PrintModel(w io.Writer, deps []ModelDeployment) error {
	var b strings.Builder
	for i, d := range deps {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "deployment %s\n", parsers.ShowPath(d.Root))
		for _, u := range d.Units {
			b.WriteString(unitText(u))
		}
		if len(d.Budgets) > 0 {
			b.WriteString("  budgets\n")
		}
		for _, bg := range d.Budgets {
			b.WriteString(budgetText(bg))
		}
		if len(d.Assumptions) > 0 {
			b.WriteString("  assumptions (no file states these; declare the real values in .headroom.yaml)\n")
		}
		for _, a := range d.Assumptions {
			fmt.Fprintf(&b, "    %s: %s, assumed; used by %s; declare it: %s\n", a.What, a.Value, a.Used, a.Key)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// unitText is one service's block of the model: its header line and the
// figures it is derived from, each with where it was read.
func unitText(u ModelUnit) string {
	var b strings.Builder
	class := ""
	if u.WorkerClass != "" && u.WorkerClass != u.Server {
		class = " (" + u.WorkerClass + ")"
	}
	mode := ""
	if u.ASGI {
		mode = ", ASGI"
	}
	fmt.Fprintf(&b, "  %s: %s%s%s, %s x %s x %s at once\n", parsers.ShowPath(u.Service), u.Server, class, mode, u.Replicas.words("replica"), u.Processes.words("process"), u.Concurrency.text())
	if u.Command != nil {
		fmt.Fprintf(&b, "    command      %s:%d\n", parsers.ShowPath(u.Command.Path), u.Command.Line)
	}
	fmt.Fprintf(&b, "    replicas     %s (%s)\n", u.Replicas.text(), u.Replicas.From)
	fmt.Fprintf(&b, "    processes    %s (%s)\n", u.Processes.text(), u.Processes.From)
	if u.Threads.N > 1 {
		fmt.Fprintf(&b, "    threads      %s (%s)\n", u.Threads.text(), u.Threads.From)
	}
	if u.Greenlets != nil {
		fmt.Fprintf(&b, "    greenlets    %s (%s)\n", u.Greenlets.text(), u.Greenlets.From)
	}
	fmt.Fprintf(&b, "    concurrency  %s (%s)\n", u.Concurrency.text(), u.Concurrency.From)
	if u.Settings != "" {
		fmt.Fprintf(&b, "    settings     %s\n", parsers.ShowPath(u.Settings))
	}
	for _, p := range u.Postgres {
		n := fmt.Sprint(p.PerProcess)
		if p.AtLeast {
			n = "at least " + n
		}
		host := p.Host
		if host == "" {
			host = "(no HOST)"
		}
		fmt.Fprintf(&b, "    postgres     DATABASES[%q] -> %s: %s per process, %s (%s)\n", p.Alias, host, n, p.Mode, p.From)
		if p.Note != "" {
			fmt.Fprintf(&b, "                 %s\n", p.Note)
		}
	}
	for _, r := range u.Redis {
		capText := fmt.Sprint(r.Cap.N)
		if r.Cap.N >= capacity.Unbounded {
			capText = "no cap"
		}
		if r.Pool != "" {
			capText = r.Pool + " " + capText
		}
		if r.WaitSeconds != nil {
			if *r.WaitSeconds == 0 {
				capText += ", waits for a free connection forever"
			} else {
				capText += fmt.Sprintf(", waits %d s for a free connection", *r.WaitSeconds)
			}
		}
		fmt.Fprintf(&b, "    redis        %s %s -> %s: at most %d per process, a connection held per command (pool: %s; %s)\n", r.Kind, r.Name, r.Host, r.PerProcess, capText, r.Cap.From)
	}
	if len(u.WorkerRedis) > 0 {
		n := 0
		var parts []string
		for _, w := range u.WorkerRedis {
			n += w.N
			parts = append(parts, fmt.Sprintf("%s %d", w.Step, w.N))
		}
		fmt.Fprintf(&b, "    redis        the worker's own -> %s: %d per container (%s)\n", u.WorkerRedis[0].Host, n, strings.Join(parts, ", "))
	}
	if u.CPUs != nil {
		fmt.Fprintf(&b, "    cpus         %g (%s)\n", u.CPUs.Value, u.CPUs.From)
	}
	if u.MemoryBytes != nil {
		fmt.Fprintf(&b, "    memory       %d MiB (%s)\n", int64(u.MemoryBytes.Value)>>20, u.MemoryBytes.From)
	}
	if len(u.ModelCheck) > 0 {
		fmt.Fprintf(&b, "    model check  %s\n", modelCheckText(u.ModelCheck, !u.Web))
	}
	return b.String()
}

// budgetText is one budget's lines of the model: its use against its
// limit, and the terms it adds up.
func budgetText(bg Budget) string {
	var b strings.Builder
	used := fmt.Sprint(bg.Used)
	if bg.AtLeast {
		used = "at least " + used
	}
	state := "within"
	switch {
	case !bg.LimitKnown:
		state = "limit not read"
	case bg.Over:
		state = "OVER"
	}
	limitText := fmt.Sprintf("%d", bg.Limit)
	if bg.Reserved > 0 {
		limitText = fmt.Sprintf("%d usable (%d less %d reserved)", bg.Usable, bg.Limit, bg.Reserved)
	}
	fmt.Fprintf(&b, "    %s: %s of %s %s, %s (limit: %s)\n", bg.Key, used, limitText, bg.Unit, state, bg.LimitFrom)
	var terms []string
	for _, t := range bg.Terms {
		terms = append(terms, t.Text)
	}
	fmt.Fprintf(&b, "      = %s\n", strings.Join(terms, " + "))
	return b.String()
}

// ModelAt is what the model of d reads from the value at byte offset off
// of path (line is its 1-based line), as `headroom model` prints it: the
// block of each service with a figure read from that value (--workers 3,
// CONN_MAX_AGE = 0, --concurrency 100, a pool's max_size), then each
// budget whose limit is read there (max_connections, maxclients) or that
// those services enter. "" when the model reads nothing there: hovering
// elsewhere on the line, or on a line it does not read, shows nothing.
func ModelAt(d ModelDeployment, path string, line, off int) string {
	at := func(s Source) bool { return s.at(path, line, off) }
	var b strings.Builder
	services := map[string]bool{}
	for _, u := range d.Units {
		if slices.ContainsFunc(u.sources(), at) {
			services[u.Service] = true
			b.WriteString(unitText(u))
		}
	}
	var budgets strings.Builder
	for _, bg := range d.Budgets {
		enters := at(bg.LimitFrom)
		for _, t := range bg.Terms {
			enters = enters || services[t.Service]
		}
		if enters {
			budgets.WriteString(budgetText(bg))
		}
	}
	if budgets.Len() > 0 {
		b.WriteString("  budgets\n" + budgets.String())
	}
	if b.Len() == 0 {
		return ""
	}
	return fmt.Sprintf("deployment %s\n%s", parsers.ShowPath(d.Root), b.String())
}

// sources are where the unit's figures were read (not its command line as
// a whole: a hover names a value, not the line it is on).
func (u ModelUnit) sources() []Source {
	out := []Source{u.Replicas.From, u.Processes.From, u.Threads.From, u.Concurrency.From}
	if u.Greenlets != nil {
		out = append(out, u.Greenlets.From)
	}
	for _, p := range u.Postgres {
		out = append(out, p.From)
	}
	for _, r := range u.Redis {
		out = append(out, r.Cap.From)
	}
	for _, l := range []*ModelLimit{u.CPUs, u.MemoryBytes} {
		if l != nil {
			out = append(out, l.From)
		}
	}
	return out
}

// modelChecks are the model check's marks of the unit's figures: its
// throughput (web) or tasks (worker), then each PostgreSQL alias and Redis
// client.
func modelChecks(u *capacity.Unit) []capacity.Trust {
	out := []capacity.Trust{}
	if u.Web || u.Server == capacity.CeleryWorker {
		out = append(out, u.ThroughputTrust())
	}
	for _, p := range u.Postgres {
		out = append(out, p.Trust(u))
	}
	for _, r := range u.Redis {
		out = append(out, r.Trust(u))
	}
	if len(u.WorkerRedis) > 0 {
		out = append(out, u.WorkerRedisTrust())
	}
	return out
}

// modelCheckText is each distinct mark once, after the figures it marks:
// "throughput, PostgreSQL connections: measured: gunicorn 20.1, ...;
// Redis connections: not measured".
// A worker's throughput figure is the tasks it holds at once.
func modelCheckText(ts []capacity.Trust, worker bool) string {
	var marks []string
	figures := map[string][]string{}
	for _, t := range ts {
		if _, ok := figures[t.Text]; !ok {
			marks = append(marks, t.Text)
		}
		f := string(t.Figure)
		if worker && t.Figure == capacity.Throughput {
			f = "tasks in flight"
		}
		if !slices.Contains(figures[t.Text], f) {
			figures[t.Text] = append(figures[t.Text], f)
		}
	}
	parts := make([]string, len(marks))
	for i, m := range marks {
		parts[i] = strings.Join(figures[m], ", ") + ": " + m
	}
	return strings.Join(parts, "; ")
}
