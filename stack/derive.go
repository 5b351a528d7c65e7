package stack

import (
	"path"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/dockerfile"
	"github.com/headroom-dev/headroom/parsers/servercmd"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// Skipped is a file discovery found and left alone, with the reason.
type Skipped struct {
	Path   string
	Reason string
}

// derived is what derive computes.
type derived struct {
	launch   map[*Command]*launch
	settings map[*Command]map[string]*Setting
	django   *djangoSettings
	overlays map[*File]*File // compose overlay file -> the file it is merged onto
	// users maps each Dockerfile to the services that run its command,
	// built on dockerfileUsers' first call: once per stack, not per
	// Dockerfile.
	users map[*File][]string
}

// launch is what starts a command: the compose service (and its file)
// and the image's Dockerfile, whose environments the process sees.
type launch struct {
	service *compose.Service
	compose *File
	docker  *File
	stage   *dockerfile.Stage // the Dockerfile's build target; nil: the final stage
	// procfile is true for a script a Procfile's process runs: the
	// platform that runs it sets WEB_CONCURRENCY (see platformEnv).
	procfile bool
}

// derive computes what rules ask of the whole stack: the commands of
// entrypoint and start scripts and who runs them, each command's
// environment, its effective gunicorn settings, and the Django settings
// module in use.
func (s *Stack) derive() {
	s.d = &derived{launch: map[*Command]*launch{}, settings: map[*Command]map[string]*Setting{}}
	s.mergeShared()
	overlays := s.composeOverlays()
	s.d.overlays = overlays
	s.dropOverridden(overlays)
	s.dropNeverRun()
	for _, c := range s.Commands {
		s.d.launch[c] = s.launchOf(c)
	}
	s.scriptCommands()
	for _, c := range s.Commands {
		s.d.settings[c] = s.resolveSettings(c)
	}
	s.d.django = s.resolveDjango()
	s.linkNginx()
}

// composeOverlays maps each compose file that overrides another (an
// override file, or a fragment whose services neither build nor name an
// image) to the file it is merged onto, as `docker compose` merges
// docker-compose.override.yml and `-f base -f overlay` sets.
func (s *Stack) composeOverlays() map[*File]*File {
	out := map[*File]*File{}
	bases := map[string]*File{}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		switch path.Base(f.Doc.Path) {
		case "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml":
			bases[path.Dir(f.Doc.Path)] = f
		}
	}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		base := bases[path.Dir(f.Doc.Path)]
		if base == nil || base == f {
			continue
		}
		name := path.Base(f.Doc.Path)
		fragment := len(f.Compose.Services) > 0
		for _, svc := range f.Compose.Services {
			if svc.Image != "" || svc.Build {
				fragment = false
			}
		}
		if strings.Contains(name, ".override.") || fragment {
			out[f] = base
		}
	}
	return out
}

// dropOverridden takes a service off a Dockerfile command it no longer
// runs because an overlay file gives it its own command.
func (s *Stack) dropOverridden(overlays map[*File]*File) {
	for over := range overlays {
		for _, svc := range over.Compose.Services {
			if svc.Command == nil && svc.Entrypoint == nil {
				continue
			}
			for _, c := range s.Commands {
				if c.File.Dockerfile == nil {
					continue
				}
				kept := c.Services[:0]
				for _, name := range c.Services {
					if name != svc.Name {
						kept = append(kept, name)
					}
				}
				c.Services = kept
			}
		}
	}
}

// dropNeverRun drops the Dockerfile commands that never run: every
// compose service that builds the image gives it its own command or
// entrypoint (Docker runs the service's, never the image's CMD), so the
// image's command is in no container. Counting it would add phantom
// connections to the budgets, and findings and fixes on it would change a
// line nothing runs.
func (s *Stack) dropNeverRun() {
	kept := s.Commands[:0]
	for _, c := range s.Commands {
		if c.File.Dockerfile == nil || !c.built || len(c.Services) > 0 {
			kept = append(kept, c)
		}
	}
	s.Commands = kept
}

// composeService finds a service by name in the compose files of the stack.
func (s *Stack) composeService(name string) (*compose.Service, *File) {
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		if svc := f.Compose.Service(name); svc != nil && (svc.Build || svc.Image != "") {
			return svc, f
		}
	}
	for _, f := range s.Files {
		if f.Compose != nil {
			if svc := f.Compose.Service(name); svc != nil {
				return svc, f
			}
		}
	}
	return nil, nil
}

// dockerfileOf is the Dockerfile a compose service builds, when the stack
// has it.
func (s *Stack) dockerfileOf(f *File, svc *compose.Service) *File {
	if svc == nil || svc.BuildDockerfile == "" {
		return nil
	}
	want := path.Join(path.Dir(f.Doc.Path), svc.BuildDockerfile)
	if s.dockerfiles != nil {
		return s.dockerfiles[want]
	}
	for _, d := range s.Files {
		if d.Dockerfile != nil && path.Clean(d.Doc.Path) == want {
			return d
		}
	}
	return nil
}

func (s *Stack) launchOf(c *Command) *launch {
	l := &launch{}
	switch {
	case c.File.Dockerfile != nil:
		l.docker, l.stage = c.File, c.Stage
		if len(c.Services) > 0 {
			l.service, l.compose = s.composeService(c.Services[0])
		}
	case c.File.Compose != nil:
		l.compose = c.File
		l.service = c.File.Compose.Service(c.Service)
		l.docker = s.dockerfileOf(c.File, l.service)
	}
	return l
}

// scriptCommands adds the app-server commands of entrypoint and start
// scripts, each with who runs it: a Dockerfile's CMD/ENTRYPOINT naming the
// script (followed through COPY to the file in the repository), or a
// compose service's command/entrypoint.
func (s *Stack) scriptCommands() {
	runs := map[*File][]*launch{}
	var services = map[*File][]string{}
	goals := map[*File]map[string]bool{} // the Makefile targets something runs
	addRun := func(sc *File, argv parsers.Argv, l *launch) {
		runs[sc] = append(runs[sc], l)
		if shell.IsMakefile(sc.Doc.Path) {
			if goals[sc] == nil {
				goals[sc] = map[string]bool{}
			}
			for _, t := range makeGoals(argv, sc.Shell.DefaultTarget) {
				goals[sc][t] = true
			}
		}
	}
	for _, f := range s.Files {
		switch {
		case f.Dockerfile != nil:
			for _, target := range targets(f) {
				var users []string
				if target == nil {
					users = s.dockerfileUsers(f)
				}
				for _, argv := range f.Dockerfile.CommandsOf(target) {
					if sc := s.scriptFor(f, argv); sc != nil {
						l := &launch{docker: f, stage: target}
						if len(users) > 0 {
							l.service, l.compose = s.composeService(users[0])
						}
						addRun(sc, argv, l)
						services[sc] = append(services[sc], users...)
					}
				}
			}
		case f.Shell != nil && shell.IsProcfile(f.Doc.Path):
			for _, argv := range f.Shell.Commands {
				if sc := s.scriptFor(nil, argv); sc != nil && sc != f {
					addRun(sc, argv, &launch{procfile: true})
				}
			}
		case f.Compose != nil:
			for _, svc := range f.Compose.Services {
				d := s.dockerfileOf(f, svc)
				for _, argv := range []*parsers.Argv{svc.Entrypoint, svc.Command} {
					if argv == nil {
						continue
					}
					if sc := s.scriptFor(d, *argv); sc != nil {
						addRun(sc, *argv, &launch{service: svc, compose: f, docker: d})
						services[sc] = append(services[sc], svc.Name)
					}
				}
			}
		}
	}
	for _, f := range s.Files {
		if f.Shell == nil {
			continue
		}
		for i, argv := range f.Shell.Commands {
			if shell.IsMakefile(f.Doc.Path) && (i >= len(f.Shell.Targets) || !goals[f][f.Shell.Targets[i]]) {
				continue // a recipe of a target nothing in view runs
			}
			for _, g := range serverCommands(argv) {
				c := &Command{File: f, Server: g, Services: dedupe(services[f])}
				s.Commands = append(s.Commands, c)
				l := &launch{}
				if ls := runs[f]; len(ls) > 0 {
					l = ls[0]
				}
				s.d.launch[c] = l
			}
		}
	}
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// dockerfileUsers are the compose services that build the Dockerfile and
// run its own command (no command or entrypoint of their own, in any
// compose file of the stack).
func (s *Stack) dockerfileUsers(d *File) []string {
	if s.d.users == nil {
		s.d.users = s.allDockerfileUsers()
	}
	return s.d.users[d]
}

func (s *Stack) allDockerfileUsers() map[*File][]string {
	out := map[*File][]string{}
	overridden := map[string]bool{}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if svc.Command != nil || svc.Entrypoint != nil {
				overridden[svc.Name] = true
			}
		}
	}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if d := s.dockerfileOf(f, svc); d != nil && !overridden[svc.Name] {
				out[d] = append(out[d], svc.Name)
			}
		}
	}
	return out
}

var shells = map[string]bool{"sh": true, "bash": true, "/bin/sh": true, "/bin/bash": true, "/usr/bin/env": true, "dash": true}

// scriptFor resolves the program an argv runs to a script of the stack:
// through the Dockerfile's COPY/ADD instructions when there is one, else by
// the script's file name.
func (s *Stack) scriptFor(d *File, argv parsers.Argv) *File {
	w := argv.Words
	i := skipWrappers(w)
	for i < len(w) && (shells[w[i].Value] || w[i].Value == "bash" || strings.HasPrefix(w[i].Value, "-")) {
		if w[i].Value == "-c" {
			return nil // sh -c "...": an inline script, not a file
		}
		i++
	}
	if i >= len(w) {
		return nil
	}
	prog := w[i].Value
	if path.Base(prog) == "make" {
		return s.makefileFor(d, w[i+1:])
	}
	if !strings.Contains(prog, "/") && !strings.HasSuffix(prog, ".sh") {
		return nil
	}
	if d != nil && d.Dockerfile != nil {
		if p, ok := copiedFrom(d, s.contextOf(d), prog); ok {
			for _, f := range s.Files {
				if f.Shell != nil && path.Clean(f.Doc.Path) == p {
					return f
				}
			}
		}
	}
	var found *File
	for _, f := range s.Files {
		if f.Shell != nil && path.Base(f.Doc.Path) == path.Base(prog) {
			if found != nil {
				return nil // ambiguous
			}
			found = f
		}
	}
	return found
}

// makefileFor is the Makefile a `make [target]` command reads: the
// ./Makefile of the image's WORKDIR (followed through COPY), else the only
// Makefile of the stack. `-f`/`-C` and other options are not followed.
func (s *Stack) makefileFor(d *File, args []parsers.Word) *File {
	for _, a := range args {
		if strings.HasPrefix(a.Value, "-") {
			return nil
		}
	}
	if d != nil && d.Dockerfile != nil {
		if p, ok := copiedFrom(d, s.contextOf(d), "Makefile"); ok {
			for _, f := range s.Files {
				if f.Shell != nil && path.Clean(f.Doc.Path) == p {
					return f
				}
			}
		}
	}
	var found *File
	for _, f := range s.Files {
		if f.Shell != nil && shell.IsMakefile(f.Doc.Path) {
			if found != nil {
				return nil // ambiguous
			}
			found = f
		}
	}
	return found
}

// makeGoals are the targets a `make` command line builds: its words after
// `make` that are neither options nor VAR=value, or the Makefile's first
// target when it names none.
func makeGoals(argv parsers.Argv, first string) []string {
	w := argv.Words
	i := skipWrappers(w)
	for i < len(w) && path.Base(w[i].Value) != "make" {
		i++
	}
	var out []string
	for _, a := range w[min(i+1, len(w)):] {
		if !strings.HasPrefix(a.Value, "-") && !strings.Contains(a.Value, "=") {
			out = append(out, a.Value)
		}
	}
	if len(out) == 0 {
		out = append(out, first)
	}
	return out
}

// skipWrappers returns the index of the first word of w that is not an
// exec wrapper of a container's entrypoint: an init (`/usr/bin/tini --`,
// `dumb-init`), a privilege dropper with its user (`gosu app`), `exec`,
// `nice`, or `env` with its assignments.
func skipWrappers(w []parsers.Word) int {
	i := 0
	for i < len(w) {
		switch path.Base(w[i].Value) {
		case "tini", "dumb-init", "--", "exec", "nice", "nohup":
			i++
		case "gosu", "su-exec", "chpst":
			i += 2
		case "env":
			i++
			for i < len(w) && strings.Contains(w[i].Value, "=") && !strings.HasPrefix(w[i].Value, "-") {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// cmdRunsAlone reports whether a Dockerfile's exec-form CMD argv, read on
// its own, is the command the container runs: with no entrypoint, or one
// made of exec wrappers only (`tini --`), or an entrypoint script that is
// not in view (the usual `exec "$@"` is assumed). An entrypoint script in
// view must hand its arguments on (`exec "$@"`) and must not map the CMD's
// first word to a command of its own (`case "$1" in gunicorn) ...`):
// otherwise the CMD is only an argument of the script, and the script's
// own commands are judged instead.
func (s *Stack) cmdRunsAlone(f *File, target *dockerfile.Stage, argv parsers.Argv) bool {
	ep, cmd := f.Dockerfile.EntrypointOf(target), f.Dockerfile.CmdOf(target)
	if ep == nil || !ep.JSON || len(ep.Argvs) == 0 || cmd == nil || len(argv.Words) == 0 {
		return true
	}
	isCmd := false
	for _, a := range cmd.Argvs {
		isCmd = isCmd || a.Span == argv.Span
	}
	if !isCmd {
		return true
	}
	w := ep.Argvs[0].Words
	if skipWrappers(w) >= len(w) {
		return true
	}
	sc := s.scriptFor(f, ep.Argvs[0])
	if sc == nil || sc.Shell == nil {
		return true
	}
	passes := false
	for _, c := range sc.Shell.Commands {
		if len(c.Words) > 0 && (c.Words[0].Value == "$@" || c.Words[0].Value == "${@}") {
			passes = true
		}
	}
	return passes && !casePattern(sc.Doc.Src, argv.Words[0].Value)
}

// casePattern reports whether a script has a `case` branch whose pattern
// is word (`gunicorn)`, `"gunicorn")`, `web|gunicorn)`).
func casePattern(src []byte, word string) bool {
	re := regexp.MustCompile(`(?m)^[ \t]*\(?[ \t]*([^()\n#]*\|[ \t]*)?["']?` + regexp.QuoteMeta(word) + `["']?[ \t]*(\|[^()\n]*)?\)`)
	return re.Match(src)
}

// contextOf is the build context of a Dockerfile: the context of a compose
// service that builds it, else the Dockerfile's own folder.
func (s *Stack) contextOf(d *File) string {
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if s.dockerfileOf(f, svc) == d {
				return path.Join(path.Dir(f.Doc.Path), svc.BuildContext)
			}
		}
	}
	return path.Dir(d.Doc.Path)
}

// copiedFrom maps a path in the image to the repository file a COPY or ADD
// put there (relative to the build context), following WORKDIR for
// relative paths. The last matching COPY wins, as the later layer does.
func copiedFrom(d *File, context, target string) (string, bool) {
	workdir := "/"
	abs := func(p string) string {
		if strings.HasPrefix(p, "/") {
			return path.Clean(p)
		}
		return path.Join(workdir, p)
	}
	var found string
	// explicit says found comes from a COPY naming the file (or its
	// folder): a later COPY of the whole context over that folder keeps
	// it unless the context holds a file of that path, which the repository
	// almost never does (COPY gunicorn_conf.py /app/conf.py, then COPY . .
	// into /app, leaves /app/conf.py the copied config).
	explicit := false
	var wd string
	for _, ins := range d.Dockerfile.Instructions {
		switch ins.Keyword {
		case "WORKDIR":
			if len(ins.Args) > 0 {
				workdir = abs(ins.Args[0])
			}
		case "COPY", "ADD":
			if hasFrom(ins.Flags) || len(ins.Args) < 2 {
				continue
			}
			srcs, dst := ins.Args[:len(ins.Args)-1], ins.Args[len(ins.Args)-1]
			dirDst := strings.HasSuffix(dst, "/") || len(srcs) > 1 || dst == "." || dst == "./"
			dstAbs := abs(dst)
			for _, src := range srcs {
				if strings.ContainsAny(src, "*?[") {
					continue
				}
				switch {
				case dirDst && path.Join(dstAbs, path.Base(src)) == wantAbs(target, workdir):
					found, explicit = path.Join(context, src), true
				case !dirDst && dstAbs == wantAbs(target, workdir):
					found, explicit = path.Join(context, src), true
				case !explicit && strings.HasPrefix(wantAbs(target, workdir), dstAbs+"/") && (src == "." || strings.HasSuffix(src, "/")):
					// COPY . /app puts the whole context there.
					found = path.Join(context, src, strings.TrimPrefix(wantAbs(target, workdir), dstAbs+"/"))
				}
			}
		}
		wd = workdir
	}
	_ = wd
	return found, found != ""
}

func wantAbs(p, workdir string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	return path.Join(workdir, p)
}

func hasFrom(flags []string) bool {
	for _, f := range flags {
		if strings.HasPrefix(f, "--from") {
			return true
		}
	}
	return false
}

// EnvValue is the value a variable has in a command's environment, and
// where it is set.
type EnvValue struct {
	Name  string
	Value string
	File  *File
	// Span is the value as written; EditSpan is what a fix replaces (the
	// value without its quotes, or the default of `${VAR:-default}`).
	Span, EditSpan parsers.Span
	// Where says in words where it is set, for messages.
	Where string
}

// interp matches compose's `${VAR:-default}` / `${VAR-default}` forms.
var interp = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-)(.*)\}$`)

// Env returns a variable of the environment command c runs with: set in
// its script before it runs, in its compose service's environment
// (compose's ${VAR:-default} interpolation resolved against the .env
// beside the compose file), in the service's env_file files, or in the
// image's Dockerfile ENV; in that order of precedence.
func (s *Stack) Env(c *Command, name string) (EnvValue, bool) {
	var l *launch
	if s.d != nil {
		l = s.d.launch[c]
	}
	if l == nil {
		l = &launch{}
	}
	if c.File.Shell != nil {
		if v, ok := c.File.Shell.Lookup(name); ok {
			ev := EnvValue{Name: name, Value: v.Value, File: c.File, Span: v.ValueSpan, EditSpan: unquoted(v.ValueSpan, v.Quote), Where: "set in " + c.File.Doc.Path}
			if m := interp.FindStringSubmatch(v.Value); m != nil && m[1] == name {
				// X=${X:-default}: the environment the script starts
				// with, else the default written in the script.
				if outer, ok := s.envOf(l, name); ok {
					return outer, true
				}
				if outer, ok := platformEnv(c, l, name); ok {
					return outer, true
				}
				def, q := unquoteDefault(m[3])
				ev.Value = def
				text := c.File.Doc.Text(ev.EditSpan)
				if i := strings.LastIndex(text, m[2]+m[3]+"}"); i >= 0 && !strings.ContainsAny(def, "$`\"'") {
					start := ev.EditSpan.Start + i + len(m[2]) + q
					ev.EditSpan = parsers.Span{Start: start, End: start + len(def)}
					ev.Where = "the default in " + c.File.Doc.Path + ", which nothing in view overrides"
				} else {
					ev.Value = v.Value
				}
			}
			return ev, true
		}
	}
	if v, ok := s.envOf(l, name); ok {
		return v, true
	}
	return platformEnv(c, l, name)
}

// unquoteDefault removes the quotes around a whole `${X:-"default"}`
// default (the shell removes them: the value is what they enclose) and
// says how many bytes the opening quote takes (0 or 1).
func unquoteDefault(d string) (string, int) {
	if len(d) >= 2 && (d[0] == '"' || d[0] == '\'') && d[len(d)-1] == d[0] && !strings.ContainsRune(d[1:len(d)-1], rune(d[0])) {
		return d[1 : len(d)-1], 1
	}
	return d, 0
}

func (s *Stack) envOf(l *launch, name string) (EnvValue, bool) {
	if l.service != nil && l.compose != nil {
		if v, ok := s.serviceEnv(l.compose, l.service, name); ok {
			return v, true
		}
	}
	if l.docker != nil {
		if e, ok := l.docker.Dockerfile.LookupEnvOf(l.stage, name); ok {
			return EnvValue{Name: name, Value: e.Value, File: l.docker, Span: e.ValueSpan, EditSpan: unquoted(e.ValueSpan, e.Quote), Where: "ENV in " + l.docker.Doc.Path}, true
		}
	}
	return EnvValue{}, false
}

// serviceEnv looks name up in a compose service: its environment entries
// (overlay files' entries for the same service win), then its env_file
// files.
func (s *Stack) serviceEnv(cf *File, svc *compose.Service, name string) (EnvValue, bool) {
	type cand struct {
		f   *File
		svc *compose.Service
	}
	// The service as every compose file of the folder writes it: overlay
	// files (merged last by compose, so they win) first.
	var cands, bases []cand
	for _, f := range s.Files {
		if f.Compose == nil || (f != cf && path.Dir(f.Doc.Path) != path.Dir(cf.Doc.Path)) {
			continue
		}
		o := f.Compose.Service(svc.Name)
		if o == nil {
			continue
		}
		if _, over := s.d.overlays[f]; over {
			cands = append(cands, cand{f, o})
		} else if f == cf {
			bases = append([]cand{{f, o}}, bases...)
		} else {
			bases = append(bases, cand{f, o})
		}
	}
	cands = append(cands, bases...)
	if len(cands) == 0 {
		cands = []cand{{cf, svc}}
	}
	for _, c := range cands {
		e, ok := c.svc.Env(name)
		if !ok || !e.HasValue {
			continue
		}
		v := EnvValue{Name: name, Value: e.Value, File: c.f, Span: e.Span, EditSpan: e.Span, Where: "environment of service " + svc.Name + " in " + c.f.Doc.Path}
		text := c.f.Doc.Text(e.Span)
		if len(text) >= 2 && (text[0] == '"' || text[0] == '\'') && text[len(text)-1] == text[0] {
			v.EditSpan = parsers.Span{Start: e.Span.Start + 1, End: e.Span.End - 1}
			if i := strings.Index(text, name+"="); i == 1 {
				v.EditSpan.Start += len(name) + 1
			}
		}
		if m := interp.FindStringSubmatch(e.Value); m != nil {
			if dv, ok := s.dotenv(path.Join(path.Dir(c.f.Doc.Path), ".env"), m[1]); ok {
				dv.Where = ".env beside " + c.f.Doc.Path + " (interpolated into the environment of service " + svc.Name + ")"
				return dv, true
			}
			v.Value = m[3]
			if i := strings.Index(c.f.Doc.Text(v.EditSpan), m[2]+m[3]+"}"); i >= 0 {
				start := v.EditSpan.Start + i + len(m[2])
				v.EditSpan = parsers.Span{Start: start, End: start + len(m[3])}
			}
			v.Where = "default of ${" + m[1] + "} in the environment of service " + svc.Name + " in " + c.f.Doc.Path
		}
		return v, true
	}
	for _, c := range cands {
		for i := len(c.svc.EnvFiles) - 1; i >= 0; i-- {
			if dv, ok := s.dotenv(path.Join(path.Dir(c.f.Doc.Path), c.svc.EnvFiles[i]), name); ok {
				dv.Where = "env_file " + dv.File.Doc.Path + " of service " + svc.Name
				return dv, true
			}
		}
	}
	return EnvValue{}, false
}

func (s *Stack) dotenv(p, name string) (EnvValue, bool) {
	p = path.Clean(p)
	for _, f := range s.Files {
		if f.Env != nil && path.Clean(f.Doc.Path) == p {
			if v, ok := f.Env.Lookup(name); ok {
				return EnvValue{Name: name, Value: v.Value, File: f, Span: v.ValueSpan, EditSpan: unquoted(v.ValueSpan, v.Quote), Where: f.Doc.Path}, true
			}
		}
	}
	return EnvValue{}, false
}

func unquoted(sp parsers.Span, q byte) parsers.Span {
	if q != 0 && sp.Len() >= 2 {
		return parsers.Span{Start: sp.Start + 1, End: sp.End - 1}
	}
	return sp
}

// Services of a command for rules that need the compose service: the
// launch's.
func (s *Stack) service(c *Command) (*compose.Service, *File) {
	if s.d == nil {
		return nil, nil
	}
	if l := s.d.launch[c]; l != nil {
		return l.service, l.compose
	}
	return nil, nil
}

// Service returns the compose service that runs c (nil when none does)
// and the compose file holding it.
func (s *Stack) Service(c *Command) (*compose.Service, *File) { return s.service(c) }

var _ = dockerfile.EnvVar{}

// mergeShared keeps one command per command line written: services that
// share a compose anchor (`command: *web-command`, `<<: *django`) run the
// same node, which is one place to report and fix.
func (s *Stack) mergeShared() {
	type key struct {
		f    *File
		span parsers.Span
	}
	first := map[key]*Command{}
	kept := s.Commands[:0]
	for _, c := range s.Commands {
		k := key{c.File, c.Server.Argv.Span}
		if prev, ok := first[k]; ok && c.File.Compose != nil {
			prev.Services = dedupe(append(prev.Services, c.Services...))
			continue
		}
		first[k] = c
		kept = append(kept, c)
	}
	s.Commands = kept
}

// serviceArgvs are the command lines a compose service runs. With both an
// entrypoint and a command, the process receives the entrypoint's words
// followed by the command's (compose's entrypoint also drops the image's
// CMD): that joined argv, when it starts a server; else each on its own,
// for an entrypoint script that runs its arguments. A command alone
// replaces only the image's CMD: after an exec-form ENTRYPOINT of the
// Dockerfile the service builds, Docker runs the entrypoint's words, then
// the command's (a shell-form ENTRYPOINT ignores both CMD and command).
func (s *Stack) serviceArgvs(f *File, svc *compose.Service) []parsers.Argv {
	switch {
	case svc.Entrypoint != nil && svc.Command != nil:
		if j := joined(*svc.Entrypoint, *svc.Command); j != nil {
			return []parsers.Argv{*j}
		}
		return []parsers.Argv{*svc.Entrypoint, *svc.Command}
	case svc.Entrypoint != nil:
		return []parsers.Argv{*svc.Entrypoint}
	case svc.Command != nil:
		// Apart, the image's entrypoint is the Dockerfile's command, not
		// this file's.
		if ep := s.imageEntrypoint(f, svc); ep != nil && len(svc.Command.Words) > 0 {
			if j := joined(*ep, *svc.Command); j != nil {
				return []parsers.Argv{*j}
			}
		}
		return []parsers.Argv{*svc.Command}
	}
	return nil
}

// joined is an entrypoint and its command joined, when that starts a
// server (nil otherwise). Joined across two files (an image's ENTRYPOINT,
// a compose command), every option must be in the command: a finding or
// fix on an option is placed in the compose file, so an option of the
// entrypoint's (or one split between the two) keeps them apart.
func joined(ep, cmd parsers.Argv) *parsers.Argv {
	j := parsers.Join(ep, cmd)
	if c := servercmd.Parse(j); c != nil && (j.Head == nil || optionsFrom(c, j.Joined)) {
		return &j
	}
	return nil
}

// optionsFrom reports whether every option of c is at word first or
// later.
func optionsFrom(c *servercmd.Command, first int) bool {
	for _, o := range c.Options {
		if o.Word < first {
			return false
		}
	}
	return true
}

// imageEntrypoint is the exec-form ENTRYPOINT of the Dockerfile a compose
// service builds (its final stage), when the stack has that Dockerfile and
// the entrypoint is more than exec wrappers (`tini --`, which the command
// is read through anyway).
func (s *Stack) imageEntrypoint(f *File, svc *compose.Service) *parsers.Argv {
	d := s.dockerfileOf(f, svc)
	if d == nil {
		if built, bf := s.composeService(svc.Name); built != nil {
			d = s.dockerfileOf(bf, built)
		}
	}
	if d == nil {
		return nil
	}
	ep := d.Dockerfile.EntrypointOf(nil)
	if ep == nil || !ep.JSON || len(ep.Argvs) != 1 || skipWrappers(ep.Argvs[0].Words) >= len(ep.Argvs[0].Words) {
		return nil
	}
	return &ep.Argvs[0]
}

// within reports whether argv's words are all words of an argv in ps.
func within(argv parsers.Argv, ps []parsers.Argv) bool {
	if len(argv.Words) == 0 {
		return false
	}
	first, last := argv.Words[0].Span, argv.Words[len(argv.Words)-1].Span
	for _, p := range ps {
		a, b := false, false
		for _, w := range p.Words {
			a = a || w.Span == first
			b = b || w.Span == last
		}
		if a && b {
			return true
		}
	}
	return false
}
