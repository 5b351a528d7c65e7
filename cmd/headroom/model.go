package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/report"
	"github.com/headroom-dev/headroom/stack"
)

// newModel is `headroom model`: the capacity model headroom reads from the
// deployment files, as the budget rules and worker targets use it.
func newModel(stdout, stderr io.Writer) *cobra.Command {
	var format, configPath string
	var noIgnore bool
	c := &cobra.Command{
		Use:   "model [PATH]...",
		Short: "Print the capacity model: each service's processes, connections and limits, and the budgets they add up to",
		Long: `Print what headroom understood of each deployment: per service, the server and
worker class, replicas x processes x the concurrency one process serves, the
PostgreSQL and Redis connections each process holds, the CPU and memory limits, the
limits of the servers, and the budgets (PostgreSQL and Redis connections per server,
CPU and memory per service) the budget rules judge. Every number says where it was
read (path:line), that .headroom.yaml declares it, or that it is a default; the
assumptions section lists each value taken on trust with the key that replaces it.`,
		RunE: func(c *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr{fmt.Errorf("--format must be text or json (got %q)", format)}
			}
			cfg, err := loadConfig(configPath, args)
			if err != nil {
				return err
			}
			sts, errs := stack.LoadDeployments(paths(args), stack.MaxFileSize, stack.DiscoverOptions{NoIgnore: noIgnore})
			errOut := &console{w: stderr}
			for _, err := range errs {
				errOut.printf("%v\n", err)
			}
			opts := cfg.Targets.Capacity()
			var deps []modelDeployment
			for _, s := range sts {
				if len(s.Files) == 0 {
					continue
				}
				deps = append(deps, deployment(s, capacity.With(s, opts)))
			}
			if len(deps) == 0 && len(errs) == 0 {
				errOut.printf("headroom: no deployment files found under %s\n", strings.Join(paths(args), ", "))
			}
			if format == "json" {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if deps == nil {
					deps = []modelDeployment{}
				}
				err = enc.Encode(struct {
					Deployments []modelDeployment `json:"deployments"`
				}{deps})
			} else {
				err = printModel(stdout, deps)
			}
			if err != nil {
				return stdoutErr(err)
			}
			return finish(errOut, errs)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	c.Flags().StringVar(&configPath, "config", "", "configuration file (default: the first .headroom.yaml found walking up from the first path); its targets.worker_memory_mb sizes the memory budgets and its infrastructure: declares the limits, replicas, CPUs and memory no file states")
	c.Flags().BoolVar(&noIgnore, "no-ignore", false, "also read files that .gitignore excludes (paths given explicitly always are)")
	return c
}

// finish is the end of a command that reads deployments and writes one
// output: a failed write to stderr, or input that could not be read,
// exits 2.
func finish(errOut *console, errs []error) error {
	if err := errOut.done("stderr"); err != nil {
		return err
	}
	if len(errs) > 0 {
		return exitErr{exitError}
	}
	return nil
}

// loadConfig reads the configuration file named, else the first found
// walking up from the first path, else the defaults.
func loadConfig(configPath string, args []string) (*config.Config, error) {
	p := configPath
	if p == "" {
		p = config.Find(paths(args)[0])
	}
	if p == "" {
		return config.Default(), nil
	}
	cfg, err := config.Load(p)
	if err != nil {
		return nil, usageErr{err}
	}
	return cfg, nil
}

// The JSON shape of the model.
type (
	modelSource = report.Source
	modelCount  struct {
		N     int         `json:"n"`
		Known bool        `json:"known"`
		From  modelSource `json:"from"`
	}
	modelLimit struct {
		Value float64     `json:"value"`
		From  modelSource `json:"from"`
	}
	modelPG struct {
		Alias      string      `json:"alias"`
		Host       string      `json:"host"`
		Mode       string      `json:"mode"`
		Min        int         `json:"min"`
		Max        int         `json:"max"`
		PerProcess int         `json:"per_process"`
		AtLeast    bool        `json:"at_least,omitempty"`
		From       modelSource `json:"from"`
		Note       string      `json:"note,omitempty"`
	}
	modelRedis struct {
		Kind       string     `json:"kind"`
		Name       string     `json:"name"`
		Host       string     `json:"host"`
		Cap        modelCount `json:"cap"`
		PerProcess int        `json:"per_process"`
		AtLeast    bool       `json:"at_least,omitempty"`
		// Pool is the pool class where the settings name one; WaitSeconds
		// how long a blocking pool waits for a free connection (0: forever).
		Pool        string `json:"pool,omitempty"`
		WaitSeconds *int   `json:"wait_seconds,omitempty"`
	}
	// modelWorkerConn is one of the connections a celery worker container
	// holds for itself.
	modelWorkerConn struct {
		Step string `json:"step"`
		Host string `json:"host"`
		N    int    `json:"per_container"`
		Why  string `json:"why"`
	}
	modelUnit struct {
		Service     string            `json:"service"`
		Command     *modelSource      `json:"command,omitempty"`
		Server      string            `json:"server"`
		WorkerClass string            `json:"worker_class"`
		Web         bool              `json:"web"`
		ASGI        bool              `json:"asgi"`
		Replicas    modelCount        `json:"replicas"`
		Processes   modelCount        `json:"processes"`
		Threads     modelCount        `json:"threads"`
		Greenlets   *modelCount       `json:"greenlets,omitempty"`
		Concurrency modelCount        `json:"concurrency"`
		Settings    string            `json:"settings,omitempty"`
		Postgres    []modelPG         `json:"postgres"`
		Redis       []modelRedis      `json:"redis"`
		WorkerRedis []modelWorkerConn `json:"worker_redis,omitempty"`
		CPUs        *modelLimit       `json:"cpus,omitempty"`
		MemoryBytes *modelLimit       `json:"memory_bytes,omitempty"`
		// ModelCheck says, per figure (throughput or tasks in flight, each
		// PostgreSQL alias, each Redis client), whether make validate-model
		// measures this kind of unit (capacity.Measured).
		ModelCheck []capacity.Trust `json:"model_check"`
	}
	modelBudget     = report.Budget
	modelDeployment struct {
		Root    string        `json:"root"`
		Units   []modelUnit   `json:"units"`
		Budgets []modelBudget `json:"budgets"`
		// Assumptions are the values the model takes on trust, each with
		// where it is used and the key of .headroom.yaml that replaces it.
		Assumptions []capacity.Assumption `json:"assumptions"`
	}
)

func source(s capacity.Source) modelSource { return report.SourceOf(s) }

func count(c capacity.Count) modelCount {
	return modelCount{N: c.N, Known: c.Known, From: source(c.From)}
}

func limit(l *capacity.Limit) *modelLimit {
	if l == nil {
		return nil
	}
	return &modelLimit{Value: l.Value, From: source(l.From)}
}

func deployment(s *stack.Stack, m *capacity.Model) modelDeployment {
	d := modelDeployment{Root: s.Root(), Units: []modelUnit{}, Budgets: []modelBudget{}, Assumptions: m.Assumptions()}
	for _, u := range m.Units {
		mu := modelUnit{
			Service: u.Service, Server: string(u.Server), WorkerClass: u.WorkerClass, Web: u.Web, ASGI: u.ASGI,
			Replicas: count(u.Replicas), Processes: count(u.Processes), Threads: count(u.Threads), Concurrency: count(u.Concurrency),
			Postgres: []modelPG{}, Redis: []modelRedis{}, CPUs: limit(u.CPUs), MemoryBytes: limit(u.Memory),
		}
		cmd := source(capacity.Source{Doc: u.Doc, Span: u.Argv.Span, What: "command line"})
		mu.Command = &cmd
		if u.Greenlets.N > 0 {
			g := count(u.Greenlets)
			mu.Greenlets = &g
		}
		if u.Settings != nil {
			mu.Settings = u.Settings.Module.Doc.Path
		}
		for _, p := range u.Postgres {
			mu.Postgres = append(mu.Postgres, modelPG{Alias: p.Alias, Host: p.Host, Mode: p.Mode.String(), Min: p.Min, Max: p.Max, PerProcess: p.PerProcess, AtLeast: p.Lower, From: source(p.From), Note: p.Note})
		}
		for _, r := range u.Redis {
			mr := modelRedis{Kind: r.Kind, Name: r.Name, Host: r.Host, Cap: count(r.Cap), PerProcess: r.PerProcess, AtLeast: r.Lower}
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
			mu.WorkerRedis = append(mu.WorkerRedis, modelWorkerConn{Step: w.Step, Host: u.WorkerRedisHost, N: w.N, Why: w.Why})
		}
		mu.ModelCheck = modelChecks(u)
		d.Units = append(d.Units, mu)
	}
	for _, b := range m.Budgets() {
		d.Budgets = append(d.Budgets, report.BudgetOf(b))
	}
	return d
}

func (c modelCount) text() string {
	if c.Known {
		return fmt.Sprint(c.N)
	}
	return fmt.Sprintf("at least %d", c.N)
}

func (c modelCount) words(word string) string {
	w := text.Plural(c.N, word)
	if !c.Known {
		w = "at least " + w
	}
	return w
}

func printModel(w io.Writer, deps []modelDeployment) error {
	var b strings.Builder
	for i, d := range deps {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "deployment %s\n", parsers.ShowPath(d.Root))
		for _, u := range d.Units {
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
		}
		if len(d.Budgets) > 0 {
			b.WriteString("  budgets\n")
		}
		for _, bg := range d.Budgets {
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
