package stack

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// Source is where an app-server setting takes its value from. gunicorn
// applies them in this order, later ones winning: its default, the
// WEB_CONCURRENCY variable (workers only), the config file, the
// GUNICORN_CMD_ARGS variable, the command line.
type Source int

const (
	SourceDefault Source = iota
	SourceWebConcurrency
	SourceConfig
	SourceCmdArgs
	SourceArgv
	// SourceEnvVar is an option set by the program's own variable
	// (UVICORN_WORKERS: uvicorn reads every option from UVICORN_<NAME>),
	// which the command line overrides and which overrides
	// WEB_CONCURRENCY.
	SourceEnvVar
)

func (s Source) String() string {
	return [...]string{"default", "WEB_CONCURRENCY", "config file", "GUNICORN_CMD_ARGS", "command line", "environment variable"}[s]
}

// Setting is the value an app-server option takes for one command, and the
// place that decides it.
type Setting struct {
	Name   string // canonical option name: "workers", "max-requests", ...
	Source Source
	// Value is the effective value as text; Known is false when it is
	// computed in a way headroom does not follow (multiprocessing.cpu_count()).
	Value string
	Known bool
	// Option and Argv are the option and the command line holding it, for
	// SourceArgv and SourceCmdArgs (whose Argv lies inside the variable's
	// value).
	Option *servercmd.Option
	Argv   parsers.Argv
	// Config is the config file, for SourceConfig; Object the module-level
	// assignment in it.
	Config *File
	Object *python.Object
	// Env is the variable that decides the value, when one does: the value
	// of WEB_CONCURRENCY, of a ${VAR:-default} on the command line, or of
	// an environment read in the config file.
	Env *EnvValue
	// File and Span are where the value is decided: what a fix edits.
	File *File
	Span parsers.Span
}

// Int returns the value as an integer.
func (s *Setting) Int() (int, bool) {
	if s == nil || !s.Known {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s.Value))
	return n, err == nil
}

// Where describes in words where the value is decided.
func (s *Setting) Where() string {
	if s.Env != nil {
		return fmt.Sprintf("%s (%s)", s.Env.Name, s.Env.Where)
	}
	switch s.Source {
	case SourceArgv:
		return s.Option.Flag + " on the command line in " + s.Argv.Doc.Path
	case SourceCmdArgs:
		return s.Option.Flag + " in GUNICORN_CMD_ARGS (" + s.File.Doc.Path + ")"
	case SourceConfig:
		return configName(s.Name) + " in " + s.Config.Doc.Path
	}
	return "gunicorn's default"
}

// configName is an option's name in a gunicorn config file.
func configName(opt string) string {
	if opt == "keep-alive" {
		return "keepalive"
	}
	return strings.ReplaceAll(opt, "-", "_")
}

// ConfigName is an option's module-level name in a gunicorn config file
// ("max-requests" is max_requests, "keep-alive" is keepalive).
func ConfigName(opt string) string { return configName(opt) }

// settingNames are the options resolved for every command.
var settingNames = []string{"workers", "worker-class", "threads", "timeout", "max-requests", "max-requests-jitter", "worker-connections", "keep-alive", "limit-max-requests",
	// celery worker's pool and its size; uWSGI's worker count.
	"concurrency", "autoscale", "pool", "processes"}

// Setting returns the effective value of an app-server option for c, or
// nil when c's program does not have it.
func (s *Stack) Setting(c *Command, name string) *Setting {
	if s.d == nil {
		s.d = &derived{launch: map[*Command]*launch{}, settings: map[*Command]map[string]*Setting{}}
	}
	if m, ok := s.d.settings[c]; ok {
		return m[name]
	}
	return s.resolveSettings(c)[name]
}

// Config returns the gunicorn config file c reads (`-c`, `--config`,
// GUNICORN_CMD_ARGS' --config, or ./gunicorn.conf.py by default) when the
// stack has it. missing is true when a config file is named but not in
// the stack: any option may then be set where headroom cannot see.
func (s *Stack) Config(c *Command) (f *File, missing bool) {
	if c.Server.Program != "gunicorn" {
		return nil, false
	}
	name := ""
	if o := c.Server.Lookup("config"); o != nil {
		name = o.Value
	} else if args, ok := s.Env(c, "GUNICORN_CMD_ARGS"); ok {
		if g := cmdArgs(args); g != nil {
			if o := g.Lookup("config"); o != nil {
				name = o.Value
			}
		}
	}
	if name == "" {
		// gunicorn reads ./gunicorn.conf.py when no config is named: the
		// one at the root of the command's build context or compose folder.
		for _, f := range s.Files {
			if f.Python != nil && path.Base(f.Doc.Path) == "gunicorn.conf.py" && s.nearCommand(c, f) {
				return f, false
			}
		}
		return nil, false
	}
	if strings.Contains(name, "$") {
		expanded, ok := s.expandPath(c, name)
		if !ok {
			return nil, true
		}
		name = expanded
	}
	var rel string
	if mod, ok := strings.CutPrefix(name, "python:"); ok {
		rel = strings.ReplaceAll(mod, ".", "/") + ".py"
	} else {
		rel = strings.TrimPrefix(path.Clean(name), "/")
	}
	if f := s.copiedConfig(c, rel); f != nil {
		return f, false
	}
	// The path in the image ends with the path in the repository: try the
	// longest suffix first (/app/config/gunicorn.py is config/gunicorn.py).
	parts := strings.Split(rel, "/")
	for i := 0; i < len(parts); i++ {
		suffix := strings.Join(parts[i:], "/")
		for _, f := range s.Files {
			if f.Python != nil && (f.Doc.Path == suffix || strings.HasSuffix(f.Doc.Path, "/"+suffix)) {
				return f, false
			}
		}
	}
	return nil, true
}

// pathVar matches a variable reference in a path: $VAR or ${VAR}.
var pathVar = regexp.MustCompile(`\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})`)

// expandPath replaces the variables of a path (`${APP_DIR}/gunicorn.conf.py`)
// with the values c's environment gives them; false when one is not set
// in view or is itself not a plain value.
func (s *Stack) expandPath(c *Command, p string) (string, bool) {
	ok := true
	out := pathVar.ReplaceAllStringFunc(p, func(ref string) string {
		m := pathVar.FindStringSubmatch(ref)
		v, found := s.Env(c, m[1]+m[2])
		if !found || strings.ContainsAny(v.Value, "$`") || v.Value == "" {
			ok = false
			return ref
		}
		return v.Value
	})
	return out, ok && !strings.Contains(out, "$")
}

// nearCommand reports whether f sits at the root of c's build context or
// beside the file that holds c.
func (s *Stack) nearCommand(c *Command, f *File) bool {
	dir := path.Dir(f.Doc.Path)
	if dir == path.Dir(c.File.Doc.Path) {
		return true
	}
	if l := s.d.launch[c]; l != nil && l.docker != nil {
		return dir == s.contextOf(l.docker) || dir == path.Dir(l.docker.Doc.Path)
	}
	return false
}

// cmdArgs parses GUNICORN_CMD_ARGS (split by gunicorn with shlex) into an
// option model whose spans lie inside the variable's value.
func cmdArgs(v EnvValue) *servercmd.Command {
	text := v.File.Doc.Text(v.EditSpan)
	if text != v.Value {
		text = v.Value // escapes differ from the bytes: no exact spans
	}
	cmds, err := shell.Commands("gunicorn " + text)
	if err != nil || len(cmds) != 1 {
		return nil
	}
	const lead = len("gunicorn ")
	argv := parsers.Argv{Doc: v.File.Doc, Form: parsers.FormShell}
	for i, w := range cmds[0].Words {
		sp := parsers.Span{Start: v.EditSpan.Start + w.Start - lead, End: v.EditSpan.Start + w.End - lead}
		if i == 0 {
			sp = parsers.Span{Start: v.EditSpan.Start, End: v.EditSpan.Start}
		}
		argv.Words = append(argv.Words, parsers.Word{Value: w.Value, Span: sp, Quote: w.Quote})
	}
	argv.Span = v.EditSpan
	argv.AppendAt = v.EditSpan.End
	return servercmd.Parse(argv)
}

// CmdArgs returns GUNICORN_CMD_ARGS as c sees it, parsed, when set.
func (s *Stack) CmdArgs(c *Command) (*servercmd.Command, EnvValue, bool) {
	if c.Server.Program != "gunicorn" {
		return nil, EnvValue{}, false
	}
	v, ok := s.Env(c, "GUNICORN_CMD_ARGS")
	if !ok {
		return nil, v, false
	}
	g := cmdArgs(v)
	return g, v, g != nil
}

func (s *Stack) resolveSettings(c *Command) map[string]*Setting {
	out := map[string]*Setting{}
	var conf *File
	var ca *servercmd.Command
	var caEnv EnvValue
	if c.Server.Program == "gunicorn" {
		conf, _ = s.Config(c)
		ca, caEnv, _ = s.CmdArgs(c)
	}
	for _, name := range settingNames {
		st := &Setting{Name: name}
		switch {
		case c.Server.Lookup(name) != nil:
			o := c.Server.Lookup(name)
			st.Source, st.Option, st.Argv, st.File, st.Span = SourceArgv, o, c.Server.Argv, c.File, o.ValueSpan
			st.Value, st.Known = o.Value, o.Form != servercmd.FormBare || o.Value != ""
			s.expand(c, st)
		case ca != nil && ca.Lookup(name) != nil:
			o := ca.Lookup(name)
			st.Source, st.Option, st.Argv, st.File, st.Span = SourceCmdArgs, o, ca.Argv, caEnv.File, o.ValueSpan
			st.Value, st.Known = o.Value, true
		case conf != nil && conf.Python.Names[configName(name)] != nil:
			obj := conf.Python.Names[configName(name)]
			st.Source, st.Config, st.Object, st.File, st.Span = SourceConfig, conf, obj, conf, obj.Span()
			s.configValue(c, st)
		case c.Server.Program == "uvicorn" && s.uvicornEnv(c, st):
		case name == "workers" && (c.Server.Program == "gunicorn" || c.Server.Program == "uvicorn"):
			if v, ok := s.Env(c, "WEB_CONCURRENCY"); ok {
				st.Source, st.Env, st.File, st.Span = SourceWebConcurrency, &v, v.File, v.EditSpan
				st.Value, st.Known = v.Value, !strings.Contains(v.Value, "$")
			}
		}
		out[name] = st
	}
	return out
}

// uvicornEnv reads an option from uvicorn's own variable: its command
// line is a click command with auto_envvar_prefix UVICORN, so --workers is
// also UVICORN_WORKERS.
func (s *Stack) uvicornEnv(c *Command, st *Setting) bool {
	v, ok := s.Env(c, "UVICORN_"+strings.ToUpper(strings.ReplaceAll(st.Name, "-", "_")))
	if !ok {
		return false
	}
	st.Source, st.Env, st.File, st.Span = SourceEnvVar, &v, v.File, v.EditSpan
	st.Value, st.Known = v.Value, !strings.Contains(v.Value, "$")
	return true
}

// plainVar matches a value that is one variable, `$VAR` or `${VAR}`.
var plainVar = regexp.MustCompile(`^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$`)

// expand resolves a `${VAR:-default}` option value: the deployment's value
// of VAR where it sets one, else the default, which is then where the
// value is decided.
func (s *Stack) expand(c *Command, st *Setting) {
	if m := plainVar.FindStringSubmatch(st.Value); m != nil {
		// $VAR or ${VAR}: the value the command's environment gives it.
		if v, ok := s.Env(c, m[1]+m[2]); ok {
			st.Env, st.File, st.Span = &v, v.File, v.EditSpan
			st.Value, st.Known = v.Value, !strings.Contains(v.Value, "$")
			return
		}
	}
	m := interp.FindStringSubmatch(st.Value)
	if m == nil {
		st.Known = st.Known && !strings.Contains(st.Value, "$")
		return
	}
	if v, ok := s.Env(c, m[1]); ok {
		st.Env, st.File, st.Span = &v, v.File, v.EditSpan
		st.Value, st.Known = v.Value, !strings.Contains(v.Value, "$")
		return
	}
	st.Value, st.Known = m[3], true
	text := st.File.Doc.Text(st.Span)
	if i := strings.Index(text, m[2]+m[3]+"}"); i >= 0 {
		start := st.Span.Start + i + len(m[2])
		st.Span = parsers.Span{Start: start, End: start + len(m[3])}
	}
}

// configValue reads a config-file setting: a literal, or an environment
// read whose variable the deployment may set.
func (s *Stack) configValue(c *Command, st *Setting) {
	obj := s.inEffect(c, st.Object)
	if obj == nil {
		return
	}
	st.Object, st.Span = obj, obj.Span()
	v := obj.Value()
	switch v.Kind {
	case python.Literal:
		st.Value, st.Known = litText(v.Lit), true
	case python.EnvDefault, python.EnvRequired:
		if ev, ok := s.Env(c, v.Var); ok {
			st.Env, st.File, st.Span = &ev, ev.File, ev.EditSpan
			st.Value, st.Known = ev.Value, !strings.Contains(ev.Value, "$")
			return
		}
		if v.Kind == python.EnvDefault && v.Default != nil {
			st.Value, st.Known = litText(v.Lit), true
			st.Span = v.Default.Span
		}
	}
}

// inEffect is the binding of a config-file name that holds for c, or nil
// when that depends on what headroom cannot tell. A binding under
// `if X is None:` (or `is not None`), where X is an environment read,
// holds exactly where c's environment leaves the variable unset (or sets
// it); otherwise the name keeps what it held before. An except clause's
// binding holds only where the try body raised: not where it casts a value
// the environment sets that converts cleanly. Any other conditional
// binding is undecided.
func (s *Stack) inEffect(c *Command, o *python.Object) *python.Object {
	for range 32 {
		switch {
		case o == nil || !o.Conditional:
			return o
		case o.Stmt != nil && o.Stmt.Except:
			prev := s.inEffect(c, o.Else)
			if prev == nil || !s.castsCleanly(c, prev) {
				return nil
			}
			return prev
		case o.Stmt != nil && o.Stmt.RunsIf != nil:
			_, set := s.Env(c, o.Stmt.RunsIf.Var)
			if set == o.Stmt.RunsIf.Set {
				return o
			}
			o = o.Else
		default:
			return nil
		}
	}
	return nil
}

// castsCleanly reports whether a binding's value is an environment read
// that c's environment sets to a value its cast converts (`int("4")`).
func (s *Stack) castsCleanly(c *Command, o *python.Object) bool {
	v := o.Value()
	if v.Kind != python.EnvDefault && v.Kind != python.EnvRequired {
		return false
	}
	ev, ok := s.Env(c, v.Var)
	if !ok {
		return false
	}
	switch v.Cast {
	case "", "str":
		return true
	case "int":
		_, err := strconv.Atoi(strings.TrimSpace(ev.Value))
		return err == nil
	}
	return false
}

func litText(l python.Lit) string {
	switch l.Kind {
	case python.Str:
		return l.Str
	case python.None:
		return ""
	}
	return l.String()
}

// Mode is the protocol c serves, with the worker class in effect (a
// config file or GUNICORN_CMD_ARGS may set it).
func (s *Stack) Mode(c *Command) servercmd.Mode {
	if c.Server.Program == "gunicorn" {
		if st := s.Setting(c, "worker-class"); st != nil && st.Source != SourceDefault && st.Source != SourceArgv {
			if !st.Known {
				return servercmd.Unknown // a class headroom cannot read
			}
			return servercmd.GunicornMode(st.Value)
		}
	}
	return c.Server.Mode()
}

// WorkerClass is the worker class c runs, with the config file and
// GUNICORN_CMD_ARGS taken into account.
func (s *Stack) WorkerClass(c *Command) string {
	if c.Server.Program == "gunicorn" {
		class := c.Server.WorkerClass()
		if st := s.Setting(c, "worker-class"); st != nil && st.Source != SourceDefault && st.Source != SourceArgv && st.Known {
			class = st.Value
		}
		if servercmd.ClassKind(class) == "sync" {
			if n, ok := s.Setting(c, "threads").Int(); ok && n > 1 {
				return "gthread"
			}
		}
		return class
	}
	return c.Server.WorkerClass()
}

// GunicornSettingNames are module-level names only a gunicorn config
// module binds: one of them, in a file named after gunicorn, makes it one.
var GunicornSettingNames = []string{"bind", "workers", "worker_class", "wsgi_app", "threads", "timeout", "max_requests", "keepalive", "worker_connections", "graceful_timeout"}

// unrunConfigs finds the gunicorn config modules that no command in view
// reads, says so for each as a notice, and returns those to judge as they
// stand (see UnrunConfigs): only where no gunicorn command is in view at
// all. Beside gunicorn commands that run without it, the module is not
// what those run, and they are what is judged. Where a command names a
// config that is not in the repository, that may be any of them under
// another path: nothing is said.
func (s *Stack) unrunConfigs() []*File {
	run := map[*File]bool{}
	commands := false
	for _, c := range s.Commands {
		if c.Server.Program != "gunicorn" {
			continue
		}
		commands = true
		f, missing := s.Config(c)
		if missing {
			return nil
		}
		run[f] = true
	}
	var out []*File
	for _, f := range s.Files {
		if f.Python == nil || run[f] || !strings.Contains(strings.ToLower(path.Base(f.Doc.Path)), "gunicorn") {
			continue
		}
		for _, name := range GunicornSettingNames {
			if f.Python.Names[name] == nil {
				continue
			}
			reason := "a gunicorn config module, read, but no command in view runs gunicorn with it (a systemd unit or launcher outside the repository may): what it states itself (max_requests, timeout) is judged, as info; its workers and worker class are not tied to a process, so the capacity model leaves it out"
			if by := s.namedIn(f); by != nil {
				// A command headroom does not read as gunicorn names it
				// (`python serve.py -c gunicorn-prod.conf.py`, a launcher of its own):
				// the module runs, but not as a command headroom judges.
				reason = "a gunicorn config module, read, and named in " + by.Doc.Path + ", but by no command headroom reads as gunicorn: its settings are not judged"
			} else if commands {
				reason = "a gunicorn config module, read, but none of the gunicorn commands in view runs with it (they are judged as they run): its settings are not judged"
			} else {
				out = append(out, f)
			}
			s.Skipped = append(s.Skipped, Skipped{Path: f.Doc.Path, Reason: reason})
			break
		}
	}
	return out
}

// namedIn is the first other file of the stack whose text names f's file
// name, nil when none does.
func (s *Stack) namedIn(f *File) *File {
	name := []byte(path.Base(f.Doc.Path))
	for _, o := range s.Files {
		if o != f && bytes.Contains(o.Doc.Src, name) {
			return o
		}
	}
	return nil
}

// UnrunConfigs are the gunicorn config modules of a stack with no gunicorn
// command in view: a systemd unit or a launcher outside the repository
// runs gunicorn with them. Rules judge what such a module
// states itself (ConfigSetting), as info.
func (s *Stack) UnrunConfigs() []*File {
	if s.d == nil {
		return nil
	}
	return s.d.unrun
}

// ConfigSetting is what a gunicorn config module states itself for an
// option, with no command to read it for: SourceDefault when it binds
// nothing of that name; Known for a literal, or for an environment read's
// default (no environment in view sets the variable).
func ConfigSetting(f *File, name string) *Setting {
	st := &Setting{Name: name}
	obj := f.Python.Names[configName(name)]
	if obj == nil {
		return st
	}
	st.Source, st.Config, st.Object, st.File, st.Span = SourceConfig, f, obj, f, obj.Span()
	switch v := obj.Value(); {
	case v.Kind == python.Literal:
		st.Value, st.Known = litText(v.Lit), true
	case v.Kind == python.EnvDefault && v.Default != nil:
		st.Value, st.Known, st.Span = litText(v.Lit), true, v.Default.Span
	}
	return st
}
