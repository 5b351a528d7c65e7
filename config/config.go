// Package config reads .headroom.yaml: which rules run, per-path ignores,
// severity overrides, and the targets the fixes write. Unknown keys are
// errors naming the key and its line, so a typo never silently does
// nothing.
package config

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/internal/fsread"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/report"
	"github.com/headroom-dev/headroom/rules"
)

// Names are the file names searched for, in order.
var Names = []string{".headroom.yaml", ".headroom.yml"}

// Config is a parsed configuration file.
type Config struct {
	Path     string // the file it was read from ("" for the defaults)
	Dir      string // its folder: per-path globs are relative to it
	absDir   string // Dir made absolute once
	Select   []string
	Ignore   []string
	PerPath  []PerPath
	Severity map[string]rules.Severity // rule ID or name → severity
	Targets  *rules.Targets
	// Report holds the assumptions of `headroom report`.
	Report Report
}

// Report is the report: section: the inputs of the capacity estimate no
// deployment file states, in milliseconds per web request.
type Report struct {
	RequestMS float64 // mean request time, end to end
	// DBMS is the part holding a PostgreSQL connection (nil: the default
	// share of RequestMS, report.DefaultDBMS).
	DBMS *float64
	// CPUMS is the part running Python on a CPU (0: not judged; nil: the
	// default, report.DefaultCPUMS, shown as assumed).
	CPUMS *float64
}

// Assumptions are the report's assumptions the section sets, the
// documented defaults elsewhere.
func (r Report) Assumptions() report.Assumptions {
	a := report.Assumptions{RequestMS: r.RequestMS, DBMS: report.DefaultDBMS(r.RequestMS), CPUMS: report.DefaultCPUMS, CPUAssumed: true}
	if r.DBMS != nil {
		a.DBMS = *r.DBMS
	}
	if r.CPUMS != nil {
		a.CPUMS, a.CPUAssumed = *r.CPUMS, false
	}
	return a
}

// PerPath ignores rules in the files its globs match.
type PerPath struct {
	Paths []string // doublestar globs, relative to the config file
	Rules []string
	rules map[*rules.Rule]bool // Rules resolved once, when the file is read
}

// Default is the configuration used when no file is found.
func Default() *Config {
	return &Config{Targets: rules.DefaultTargets(), Severity: map[string]rules.Severity{},
		Report: Report{RequestMS: report.DefaultRequestMS}}
}

// Find walks up from start (a file or folder) to the filesystem root and
// returns the first configuration file found, or "".
func Find(start string) string {
	dir, err := filepath.Abs(start)
	if err != nil {
		return ""
	}
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		for _, name := range Names {
			p := filepath.Join(dir, name)
			if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
				return p
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// maxConfigSize bounds a configuration file: a real one is a few KiB.
const maxConfigSize = 1 << 20

// Load reads and checks a configuration file.
func Load(path string) (*Config, error) {
	// Only a regular file, of a configuration's size: --config /dev/zero
	// or a FIFO must not block or exhaust the run.
	src, err := fsread.Regular(path, maxConfigSize)
	if err != nil {
		return nil, &parsers.Error{Path: path, Msg: err.Error()}
	}
	return Parse(path, src)
}

// Parse checks a configuration file's content.
func Parse(path string, src []byte) (*Config, error) {
	c := Default()
	c.Path = path
	c.Dir = filepath.Dir(path)
	if abs, err := filepath.Abs(c.Dir); err == nil {
		c.absDir = abs
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		line, msg := compose.ErrorLine(err)
		return nil, &parsers.Error{Path: path, Pos: parsers.Position{Line: line, Column: 1}, Msg: "invalid YAML: " + msg}
	}
	if len(root.Content) == 0 {
		return c, nil
	}
	p := &parser{path: path}
	top := root.Content[0]
	p.mapping(top, "the top level", map[string]func(*yaml.Node){
		"select":   func(n *yaml.Node) { c.Select = p.ruleList(n) },
		"ignore":   func(n *yaml.Node) { c.Ignore = p.ruleList(n) },
		"per-path": func(n *yaml.Node) { c.PerPath = p.perPath(n) },
		"severity": func(n *yaml.Node) { c.Severity = p.severities(n) },
		"targets":  func(n *yaml.Node) { p.targets(n, c.Targets) },
		"report":   func(n *yaml.Node) { p.report(n, &c.Report) },
		"infrastructure": func(n *yaml.Node) {
			c.Targets.Infrastructure = p.infrastructure(n)
		},
	})
	if p.err == nil {
		if err := c.Report.Assumptions().Check(); err != nil {
			p.fail(top, "report: %v", err)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return c, nil
}

type parser struct {
	path string
	err  error
}

func (p *parser) fail(n *yaml.Node, format string, args ...any) {
	if p.err == nil {
		p.err = &parsers.Error{Path: p.path, Pos: parsers.Position{Line: n.Line, Column: n.Column}, Msg: fmt.Sprintf(format, args...)}
	}
}

func (p *parser) mapping(n *yaml.Node, what string, keys map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.fail(n, "%s must be a mapping", what)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := keys[k.Value]
		if !ok {
			var known []string
			for name := range keys {
				known = append(known, name)
			}
			sort.Strings(known)
			p.fail(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(known, ", "))
			return
		}
		f(v)
	}
}

func (p *parser) strings(n *yaml.Node, what string) []string {
	if n.Kind == yaml.ScalarNode { // "select: HR1" or "select: HR101,HR102"
		return strings.Split(n.Value, ",")
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "%s must be a list", what)
		return nil
	}
	var out []string
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode {
			p.fail(item, "%s items must be strings", what)
			return nil
		}
		out = append(out, item.Value)
	}
	return out
}

// ruleList reads rule IDs, names or prefixes and checks each names a rule.
func (p *parser) ruleList(n *yaml.Node) []string {
	list := p.strings(n, "a rule list")
	if _, err := (rules.Selection{Select: list}).Rules(); err != nil {
		p.fail(n, "%v", err)
	}
	return list
}

func (p *parser) perPath(n *yaml.Node) []PerPath {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "per-path must be a list of {paths, ignore}")
		return nil
	}
	var out []PerPath
	for _, item := range n.Content {
		var pp PerPath
		p.mapping(item, "a per-path entry", map[string]func(*yaml.Node){
			"paths":  func(v *yaml.Node) { pp.Paths = p.strings(v, "paths") },
			"ignore": func(v *yaml.Node) { pp.Rules = p.ruleList(v) },
		})
		for _, g := range pp.Paths {
			if !doublestar.ValidatePattern(g) {
				p.fail(item, "bad glob %q", g)
			}
		}
		if p.err == nil && (len(pp.Paths) == 0 || len(pp.Rules) == 0) {
			p.fail(item, "a per-path entry needs both paths and ignore")
		}
		if set, err := (rules.Selection{Select: pp.Rules}).Rules(); err == nil {
			pp.rules = map[*rules.Rule]bool{}
			for _, r := range set {
				pp.rules[r] = true
			}
		}
		out = append(out, pp)
	}
	return out
}

var severityNames = map[string]rules.Severity{"error": rules.Error, "warning": rules.Warning, "info": rules.Info}

func (p *parser) severities(n *yaml.Node) map[string]rules.Severity {
	out := map[string]rules.Severity{}
	if n.Kind != yaml.MappingNode {
		p.fail(n, "severity must map rule IDs to error, warning or info")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r, ok := rules.Lookup(k.Value)
		if !ok {
			p.fail(k, "unknown rule %q (see `headroom rules`)", k.Value)
			return out
		}
		s, ok := severityNames[v.Value]
		if !ok {
			p.fail(v, "severity of %s must be error, warning or info (got %q)", r.ID, v.Value)
			return out
		}
		out[r.ID] = s
	}
	return out
}

func (p *parser) targets(n *yaml.Node, t *rules.Targets) {
	num := func(dst *int, min int) func(*yaml.Node) {
		return func(v *yaml.Node) {
			i, err := strconv.Atoi(v.Value)
			if err != nil || v.Kind != yaml.ScalarNode || i < min {
				p.fail(v, "must be a whole number of at least %d (got %q)", min, v.Value)
				return
			}
			*dst = i
		}
	}
	p.mapping(n, "targets", map[string]func(*yaml.Node){
		"workers": func(v *yaml.Node) {
			if v.Value == "auto" {
				t.WorkersAuto = true
				return
			}
			num(&t.Workers, 1)(v)
		},
		"worker_memory_mb":      num(&t.WorkerMemoryMB, 1),
		"max_requests":          num(&t.MaxRequests, 1),
		"max_requests_jitter":   num(&t.MaxRequestsJitter, 0),
		"timeout":               num(&t.Timeout, 1),
		"conn_max_age":          num(&t.ConnMaxAge, 1),
		"redis_max_connections": num(&t.RedisMaxConnections, 1),
		"redis_socket_timeout":  num(&t.RedisSocketTimeout, 1),
		"upstream_keepalive":    num(&t.UpstreamKeepalive, 1),
		"gzip_min_length":       num(&t.GzipMinLength, 0),
		"gzip_types": func(v *yaml.Node) {
			types := p.strings(v, "gzip_types")
			for _, ty := range types {
				switch ty {
				case "text/html":
					p.fail(v, "gzip_types: text/html is always compressed; listing it makes nginx warn")
				case "text/event-stream":
					p.fail(v, "gzip_types: text/event-stream must not be compressed (it would buffer the stream)")
				}
			}
			t.GzipTypes = types
		},
	})
}

func (p *parser) report(n *yaml.Node, r *Report) {
	ms := func(dst *float64) func(*yaml.Node) {
		return func(v *yaml.Node) {
			f, err := strconv.ParseFloat(v.Value, 64)
			if err != nil || v.Kind != yaml.ScalarNode || f < 0 {
				p.fail(v, "must be a number of milliseconds, 0 or more (got %q)", v.Value)
				return
			}
			*dst = f
		}
	}
	p.mapping(n, "report", map[string]func(*yaml.Node){
		"request_ms": ms(&r.RequestMS),
		"db_ms": func(v *yaml.Node) {
			var f float64
			ms(&f)(v)
			r.DBMS = &f
		},
		"cpu_ms": func(v *yaml.Node) {
			var f float64
			ms(&f)(v)
			r.CPUMS = &f
		},
	})
}

// infrastructure reads the infrastructure: section: the servers and
// services that live outside the repository, by kind, then host or
// service name, then setting.
func (p *parser) infrastructure(n *yaml.Node) *capacity.Infrastructure {
	in := &capacity.Infrastructure{Path: shownPath(p.path), Postgres: map[string]capacity.PostgresDecl{},
		Redis: map[string]capacity.RedisDecl{}, Services: map[string]capacity.ServiceDecl{}}
	// each reads a mapping of names to settings, one entry per name.
	each := func(kind string, entry func(name string, v *yaml.Node)) func(*yaml.Node) {
		return func(v *yaml.Node) {
			if v.Kind != yaml.MappingNode {
				p.fail(v, "infrastructure.%s must map names to settings", kind)
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				entry(v.Content[i].Value, v.Content[i+1])
			}
		}
	}
	p.mapping(n, "infrastructure", map[string]func(*yaml.Node){
		"postgres": each("postgres", func(host string, v *yaml.Node) {
			var d capacity.PostgresDecl
			p.mapping(v, "infrastructure.postgres."+host, map[string]func(*yaml.Node){
				"max_connections":                p.declared(&d.MaxConnections, capacity.Key("postgres", host, "max_connections"), "a whole number of at least 1", wholeAtLeast(1)),
				"superuser_reserved_connections": p.declared(&d.Reserved, capacity.Key("postgres", host, "superuser_reserved_connections"), "a whole number, 0 or more", wholeAtLeast(0)),
			})
			if d.MaxConnections.Set() && d.Reserved.Value >= d.MaxConnections.Value {
				p.fail(v, "infrastructure.postgres.%s: superuser_reserved_connections (%v) must be less than max_connections (%v)", host, d.Reserved.Value, d.MaxConnections.Value)
			}
			in.Postgres[host] = d
		}),
		"redis": each("redis", func(host string, v *yaml.Node) {
			var d capacity.RedisDecl
			p.mapping(v, "infrastructure.redis."+host, map[string]func(*yaml.Node){
				"maxclients": p.declared(&d.MaxClients, capacity.Key("redis", host, "maxclients"), "a whole number of at least 1", wholeAtLeast(1)),
			})
			in.Redis[host] = d
		}),
		"services": each("services", func(name string, v *yaml.Node) {
			var d capacity.ServiceDecl
			p.mapping(v, "infrastructure.services."+name, map[string]func(*yaml.Node){
				"replicas": p.declared(&d.Replicas, capacity.Key("services", name, "replicas"), "a whole number, 0 or more", wholeAtLeast(0)),
				"cpus": p.declared(&d.CPUs, capacity.Key("services", name, "cpus"), "a number of CPUs above 0", func(s string) (float64, bool) {
					f, err := strconv.ParseFloat(s, 64)
					return f, err == nil && f > 0 && !math.IsInf(f, 0)
				}),
				"memory": p.declared(&d.Memory, capacity.Key("services", name, "memory"), "a size above 0 such as 2GiB or 512m", func(s string) (float64, bool) {
					b, ok := capacity.ParseBytes(s)
					return float64(b), ok && b > 0
				}),
			})
			in.Services[name] = d
		}),
	})
	return in
}

// shownPath is the configuration file as messages name it: relative to
// the working folder when it is inside it.
func shownPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

// wholeAtLeast parses a whole number of at least min.
func wholeAtLeast(min int) func(string) (float64, bool) {
	return func(s string) (float64, bool) {
		i, err := strconv.Atoi(s)
		return float64(i), err == nil && i >= min
	}
}

// declared reads one declared value with parse, keeping its line.
func (p *parser) declared(dst *capacity.Declared, key, want string, parse func(string) (float64, bool)) func(*yaml.Node) {
	return func(v *yaml.Node) {
		f, ok := parse(strings.TrimSpace(v.Value))
		if v.Kind != yaml.ScalarNode || !ok {
			p.fail(v, "%s must be %s (got %q)", key, want, v.Value)
			return
		}
		*dst = capacity.Declared{Value: f, Line: v.Line}
	}
}

// Ignored reports whether a per-path entry ignores rule r in the file at
// path (as headroom names it: relative to the working folder).
func (c *Config) Ignored(path string, r *rules.Rule) bool {
	if len(c.PerPath) == 0 {
		return false
	}
	rel := path
	if c.Dir != "" {
		if abs, err := filepath.Abs(path); err == nil {
			if rp, err := filepath.Rel(c.absDir, abs); err == nil {
				rel = filepath.ToSlash(rp)
			}
		}
	}
	for _, pp := range c.PerPath {
		if !pp.rules[r] {
			continue
		}
		for _, g := range pp.Paths {
			if ok, _ := doublestar.Match(g, rel); ok {
				return true
			}
		}
	}
	return false
}

// Settings turns the configuration into the rules' run settings.
func (c *Config) Settings() *driver.Settings {
	s := &driver.Settings{Targets: c.Targets, Severity: c.Severity}
	if len(c.PerPath) > 0 {
		s.Ignore = c.Ignored
	}
	return s
}
