package stack

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
)

// Settings is the Django settings a deployment runs with: the module
// DJANGO_SETTINGS_MODULE names (or, where nothing sets it, a settings
// module no other imports), evaluated with the modules its
// `from .base import *` lines and django-split-settings include(...) calls
// pull in, so each name holds what Django ends up with and each value
// knows the file and line that decided it.
type Settings struct {
	// Module is the entry module: the one Django imports.
	Module *File
	// Name is the dotted module name, when DJANGO_SETTINGS_MODULE gives it.
	Name string
	// NS is the evaluated namespace.
	NS *python.Namespace
	// Files are the modules that ran, the entry module last.
	Files []*File
	// Var is where DJANGO_SETTINGS_MODULE is set, when it is.
	Var *EnvValue
	// Chosen says in words why this module is the one judged.
	Chosen string
	// Configuration is the django-configurations class the settings are
	// read from (with its bases), when the module keeps them in classes
	// and one is chosen; ConfigurationChosen says why that one.
	Configuration       string
	ConfigurationChosen string
	// Command is the process whose environment the settings read their
	// environment variables from (nil when the stack runs none).
	Command *Command
	stack   *Stack
}

// Split reports whether the settings come from more than one file.
func (st *Settings) Split() bool { return len(st.Files) > 1 }

type djangoSettings struct {
	all []*Settings
	by  map[*File][]*Settings
}

// DjangoSettings returns the settings the deployment runs with, one per
// settings module in use.
func (s *Stack) DjangoSettings() []*Settings {
	if s.d == nil || s.d.django == nil {
		return nil
	}
	return s.d.django.all
}

// SettingsFor returns the settings whose entry module is f: the view of
// the whole that rules judge when they check f. A module other modules
// import (base.py) has none; its values are judged through the modules
// that import it.
func (s *Stack) SettingsFor(f *File) []*Settings {
	if s.d == nil || s.d.django == nil {
		if f.Python == nil {
			return nil
		}
		return []*Settings{{Module: f, NS: f.Python.Namespace(), Files: []*File{f}, stack: s}}
	}
	return s.d.django.by[f]
}

// settingsVar is the variable that names the settings module.
const settingsVar = "DJANGO_SETTINGS_MODULE"

func (s *Stack) resolveDjango() *djangoSettings {
	d := &djangoSettings{by: map[*File][]*Settings{}}
	var mods []*File
	for _, f := range s.Files {
		if f.Python != nil && f.Doc.Kind == parsers.KindPython {
			mods = append(mods, f)
		}
	}
	if len(mods) == 0 {
		return d
	}
	r := &settingsResolver{s: s, ns: map[*File]*python.Namespace{}, running: map[*File]bool{}, files: map[*File][]*File{}, paths: map[string]*File{}}
	for _, f := range mods {
		r.paths[f.Doc.Path] = f
	}
	add := func(st *Settings) {
		for _, prev := range d.by[st.Module] {
			if prev.Command == st.Command || st.Command == nil {
				return
			}
		}
		st.stack = s
		st.NS = r.namespace(st.Module)
		if mro := s.chooseConfiguration(st); mro != nil {
			st.NS = python.RunClass(st.Module.Python, r, mro)
		}
		st.Files = append(r.files[st.Module], st.Module)
		d.all = append(d.all, st)
		d.by[st.Module] = append(d.by[st.Module], st)
	}
	// DJANGO_SETTINGS_MODULE as each app-server or worker process sees it.
	for _, c := range s.webFirst() {
		v, ok := s.Env(c, settingsVar)
		if !ok {
			continue
		}
		if f := s.settingsModule(v.Value); f != nil {
			add(&Settings{Module: f, Name: v.Value, Var: &v, Command: c, Chosen: settingsVar + " (" + v.Where + ")"})
		}
	}
	if len(d.all) == 0 {
		// Set where no command of the stack reads it: any service, image
		// or env file.
		for _, v := range s.looseVars(settingsVar) {
			if f := s.settingsModule(v.Value); f != nil {
				v := v
				add(r.productionInstead(mods, &Settings{Module: f, Name: v.Value, Var: &v, Command: s.webCommand(), Chosen: settingsVar + " (" + v.Where + ")"}))
			}
		}
	}
	if len(d.all) == 0 {
		// Named by os.environ.setdefault in wsgi.py, asgi.py, celery.py or
		// manage.py: the default where the environment does not set it.
		for _, v := range s.setdefaultVars(settingsVar) {
			if f := s.settingsModule(v.Value); f != nil {
				v := v
				add(r.productionInstead(mods, &Settings{Module: f, Name: v.Value, Var: &v, Command: s.webCommand(), Chosen: settingsVar + " (" + v.Where + ")"}))
				break
			}
		}
	}
	if len(d.all) > 0 {
		s.noteClassSettings(d)
		return d
	}
	defer s.noteClassSettings(d)
	for _, f := range s.leafModules(mods, r) {
		chosen := "a settings module no other module imports"
		if prodName(f) {
			chosen = "taken as the production settings by its name; nothing sets " + settingsVar
		}
		add(&Settings{Module: f, Command: s.webCommand(), Chosen: chosen})
	}
	return d
}

// configurationClass matches a django-configurations settings class:
// `class Production(Configuration):` or one built on another such class.
var configurationClass = regexp.MustCompile(`(?m)^class \w+\((?:configurations\.)?Configuration\)\s*:`)

// noteClassSettings says, as a notice, where the settings module in use
// keeps its settings in django-configurations classes (chosen at run time
// by DJANGO_CONFIGURATION): headroom reads module-level names only, so the
// settings rules judge nothing there, on purpose rather than silently.
func (s *Stack) noteClassSettings(d *djangoSettings) {
	for _, st := range d.all {
		if st.Configuration == "" && configurationClass.Match(st.Module.Doc.Src) && st.NS.Names["DATABASES"] == nil {
			s.Skipped = append(s.Skipped, Skipped{Path: st.Module.Doc.Path, Reason: "Django settings defined in django-configurations classes, and no class can be chosen (DJANGO_CONFIGURATION names none of the module's classes and none is named Production): class bodies are not read, so DATABASES, CACHES and Celery settings there are not judged"})
		}
	}
}

// webFirst lists the stack's commands, app servers before workers.
func (s *Stack) webFirst() []*Command {
	var web, rest []*Command
	for _, c := range s.Commands {
		if c.Server.Program == "celery" {
			rest = append(rest, c)
		} else {
			web = append(web, c)
		}
	}
	return append(web, rest...)
}

// webCommand is the command that serves the app, when there is one.
func (s *Stack) webCommand() *Command {
	if _, c := s.webMode(); c != nil {
		return c
	}
	if cs := s.webFirst(); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// looseVars finds a variable (DJANGO_SETTINGS_MODULE,
// DJANGO_CONFIGURATION) wherever the deployment sets it: compose services,
// Dockerfile ENV, env files and scripts.
func (s *Stack) looseVars(name string) []EnvValue {
	var out []EnvValue
	for _, f := range s.Files {
		switch {
		case f.Compose != nil:
			for _, svc := range f.Compose.Services {
				if v, ok := s.envOf(&launch{service: svc, compose: f, docker: s.dockerfileOf(f, svc)}, name); ok {
					out = append(out, v)
				}
			}
		case f.Dockerfile != nil:
			if e, ok := f.Dockerfile.LookupEnv(name); ok {
				out = append(out, EnvValue{Name: name, Value: e.Value, File: f, Span: e.ValueSpan, EditSpan: unquoted(e.ValueSpan, e.Quote), Where: "ENV in " + f.Doc.Path})
			}
		case f.Env != nil:
			if v, ok := f.Env.Lookup(name); ok {
				out = append(out, EnvValue{Name: name, Value: v.Value, File: f, Span: v.ValueSpan, EditSpan: unquoted(v.ValueSpan, v.Quote), Where: f.Doc.Path})
			}
		case f.Shell != nil:
			if v, ok := f.Shell.Lookup(name); ok {
				out = append(out, EnvValue{Name: name, Value: v.Value, File: f, Span: v.ValueSpan, EditSpan: unquoted(v.ValueSpan, v.Quote), Where: "set in " + f.Doc.Path})
			}
		}
	}
	return out
}

// settingsModule finds the file a dotted module name names: pkg/mod.py or
// pkg/mod/__init__.py, matched on the longest path suffix the stack has
// (the repository may hold the project below its root).
func (s *Stack) settingsModule(name string) *File {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, "$/ ") {
		return nil
	}
	rel := strings.ReplaceAll(name, ".", "/")
	parts := strings.Split(rel, "/")
	for i := 0; i < len(parts); i++ {
		suffix := strings.Join(parts[i:], "/")
		if f := s.pythonFile(suffix+".py", suffix+"/__init__.py"); f != nil {
			return f
		}
		if len(parts)-i <= 1 {
			break // a bare "production.py" anywhere is too loose a match
		}
	}
	return nil
}

// pythonFile returns the settings-kind Python file whose path is, or ends
// with, one of the suffixes (the shortest such path).
func (s *Stack) pythonFile(suffixes ...string) *File {
	var found *File
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		for _, suf := range suffixes {
			if f.Doc.Path == suf || strings.HasSuffix(f.Doc.Path, "/"+suf) {
				if found == nil || len(f.Doc.Path) < len(found.Doc.Path) {
					found = f
				}
			}
		}
	}
	return found
}

// devNames are settings modules for development and tests, never what a
// deployment runs when a production one sits beside them.
var devNames = map[string]bool{"local": true, "dev": true, "develop": true, "development": true, "test": true, "tests": true, "testing": true, "test_settings": true, "ci": true, "debug": true}

func prodName(f *File) bool {
	switch strings.TrimSuffix(path.Base(f.Doc.Path), ".py") {
	case "production", "prod", "prd", "live":
		return true
	}
	return false
}

// leafModules are the modules no other module imports or includes: each
// may be a DJANGO_SETTINGS_MODULE. Where one of them is named for
// production, development and test modules beside it are left out.
func (s *Stack) leafModules(mods []*File, r *settingsResolver) []*File {
	imported := map[*File]bool{}
	for _, f := range mods {
		for _, imp := range f.Python.Imports {
			switch {
			case imp.Star:
				if g := r.starTarget(f, imp); g != nil && g != f {
					imported[g] = true
				}
			case imp.Module == "":
				for _, g := range r.includeTargets(f, imp) {
					if g != f {
						imported[g] = true
					}
				}
			}
		}
	}
	var leaves []*File
	prod := map[string]bool{}
	for _, f := range mods {
		if !imported[f] {
			leaves = append(leaves, f)
			if prodName(f) {
				prod[path.Dir(f.Doc.Path)] = true
			}
		}
	}
	out := leaves[:0]
	for _, f := range leaves {
		dir := path.Dir(f.Doc.Path)
		if prod[dir] && (devNames[strings.TrimSuffix(path.Base(f.Doc.Path), ".py")] || !prodName(f) && len(f.Python.Imports) > 0 && hasStarImport(f)) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// productionInstead returns the settings of the production module beside
// st's module when st's is a development one (named local, dev, test, ...,
// or built on one by `from .dev import *`) and DJANGO_SETTINGS_MODULE
// names it only where no app-server command reads it (a compose service
// running runserver, an env file, os.environ.setdefault's default): the
// deployment that serves traffic sets the variable to the production
// module. st itself otherwise.
func (r *settingsResolver) productionInstead(mods []*File, st *Settings) *Settings {
	if !r.development(st.Module) {
		return st
	}
	dir := path.Dir(st.Module.Doc.Path)
	for _, f := range mods {
		if f != st.Module && path.Dir(f.Doc.Path) == dir && prodName(f) && !r.development(f) {
			return &Settings{Module: f, Command: st.Command, Chosen: fmt.Sprintf("taken as the production settings by its name: %s names %s (%s), a development module", settingsVar, st.Name, st.Var.Where)}
		}
	}
	return st
}

// development reports whether a settings module is for development or
// tests: by its name, or by the module its star import builds on.
func (r *settingsResolver) development(f *File) bool {
	if devNames[strings.TrimSuffix(path.Base(f.Doc.Path), ".py")] {
		return true
	}
	for _, imp := range f.Python.Imports {
		if g := r.starTarget(f, imp); imp.Star && g != nil && g != f && devNames[strings.TrimSuffix(path.Base(g.Doc.Path), ".py")] {
			return true
		}
	}
	return false
}

func hasStarImport(f *File) bool {
	for _, imp := range f.Python.Imports {
		if imp.Star {
			return true
		}
	}
	return false
}

// Unset reports that nothing in view sets the variable: no compose
// service, env file, Dockerfile ENV or script (python.EnvResolver).
func (r *settingsResolver) Unset(name string) bool { return len(r.s.looseVars(name)) == 0 }

// settingsResolver follows star imports and includes between the stack's
// settings modules, evaluating each module once.
type settingsResolver struct {
	s       *Stack
	ns      map[*File]*python.Namespace
	files   map[*File][]*File // the modules each module's evaluation ran, before it
	running map[*File]bool
	paths   map[string]*File // the settings modules by path
}

func (r *settingsResolver) file(m *python.Module) *File {
	return r.paths[m.Doc.Path]
}

func (r *settingsResolver) namespace(f *File) *python.Namespace {
	if ns, ok := r.ns[f]; ok {
		return ns
	}
	r.running[f] = true
	ns := python.Run(f.Python, r)
	delete(r.running, f)
	r.ns[f] = ns
	return ns
}

// Star implements python.Resolver.
func (r *settingsResolver) Star(from *python.Module, imp *python.Import) *python.Namespace {
	f := r.file(from)
	g := r.starTarget(f, imp)
	if g == nil || r.running[g] {
		return nil
	}
	ns := r.namespace(g)
	r.files[f] = append(r.files[f], append(r.files[g], g)...)
	return ns
}

// Include implements python.Resolver.
func (r *settingsResolver) Include(from *python.Module, imp *python.Import) []*python.Module {
	f := r.file(from)
	var out []*python.Module
	for _, g := range r.includeTargets(f, imp) {
		if r.running[g] || g == f {
			continue
		}
		r.files[f] = append(r.files[f], g)
		out = append(out, g.Python)
	}
	return out
}

// starTarget resolves `from X import *` in f to a module of the stack.
func (r *settingsResolver) starTarget(f *File, imp *python.Import) *File {
	if f == nil {
		return nil
	}
	mod := imp.Module
	if strings.HasPrefix(mod, ".") {
		dots := len(mod) - len(strings.TrimLeft(mod, "."))
		dir := path.Dir(f.Doc.Path)
		for i := 1; i < dots; i++ {
			dir = path.Dir(dir)
		}
		rel := strings.ReplaceAll(mod[dots:], ".", "/")
		if rel == "" {
			return r.exact(path.Join(dir, "__init__.py"))
		}
		return r.exact(path.Join(dir, rel+".py"), path.Join(dir, rel, "__init__.py"))
	}
	return r.s.settingsModule(mod)
}

func (r *settingsResolver) exact(paths ...string) *File {
	for _, p := range paths {
		if f := r.paths[p]; f != nil {
			return f
		}
	}
	return nil
}

// includeTargets resolves the patterns of an include(...) call, relative
// to the including file, each glob in sorted order as split-settings does.
func (r *settingsResolver) includeTargets(f *File, imp *python.Import) []*File {
	if f == nil {
		return nil
	}
	dir := path.Dir(f.Doc.Path)
	var out []*File
	for _, pat := range imp.Include {
		full := path.Clean(path.Join(dir, pat))
		var matched []*File
		for p, g := range r.paths {
			if ok, _ := path.Match(full, p); ok {
				matched = append(matched, g)
			}
		}
		sort.Slice(matched, func(i, j int) bool { return matched[i].Doc.Path < matched[j].Doc.Path })
		out = append(out, matched...)
	}
	return out
}

// SettingValue is the value a setting takes where the deployment runs.
type SettingValue struct {
	// Lit is the value; Known is false when it is computed in a way
	// headroom does not follow, or read from a variable nothing sets and
	// the code gives no default for.
	Lit   python.Lit
	Known bool
	// Conditional says the statement that binds it may not run (it sits
	// under an if, try, with or for).
	Conditional bool
	// Var is the environment variable the code reads, when it reads one.
	Var string
	// Env is where the deployment sets Var, when it does: that value wins
	// over the code's default, and is what a fix edits.
	Env *EnvValue
}

// Where says in words where the value is decided, for messages: "" for a
// literal in the settings.
func (v SettingValue) Where() string {
	switch {
	case v.Env != nil:
		return fmt.Sprintf("$%s from %s", v.Var, v.Env.Where)
	case v.Var != "" && v.Known:
		return fmt.Sprintf("the default of $%s, which the deployment does not set", v.Var)
	case v.Var != "":
		return fmt.Sprintf("$%s, which the deployment does not set", v.Var)
	}
	return ""
}

// Value is the value o takes in these settings: a literal as written, or,
// for a read from the environment, the deployment's value of the variable
// (compose environment, env_file, Dockerfile ENV, as the process running
// the settings sees them), else the code's default.
func (st *Settings) Value(o *python.Object) SettingValue {
	if o == nil {
		return SettingValue{}
	}
	v := st.ValueOf(o.Value())
	v.Conditional = o.Conditional
	return v
}

// ValueOf is Value for an expression's value.
func (st *Settings) ValueOf(pv python.Value) SettingValue {
	switch pv.Kind {
	case python.Literal:
		return SettingValue{Lit: pv.Lit, Known: true}
	case python.EnvDefault, python.EnvRequired:
		v := SettingValue{Var: pv.Var}
		if st != nil && st.stack != nil && st.Command != nil {
			if ev, ok := st.stack.Env(st.Command, pv.Var); ok {
				v.Env = &ev
				if strings.Contains(ev.Value, "$") {
					return v
				}
				castName := pv.Cast
				if castName == "" && pv.Kind == python.EnvDefault {
					switch pv.Lit.Kind {
					case python.Int:
						castName = "int"
					case python.Bool:
						castName = "bool"
					case python.Float:
						castName = "float"
					}
				}
				v.Lit, v.Known = python.CastEnv(pv.Prefix+ev.Value+pv.Suffix, castName)
				return v
			}
		}
		if pv.Kind == python.EnvDefault {
			v.Lit, v.Known = pv.Lit, true
		}
		return v
	}
	return SettingValue{}
}

// Env returns a variable of the environment the settings are loaded in:
// that of the process that runs them.
func (st *Settings) Env(name string) (EnvValue, bool) {
	if st == nil || st.stack == nil || st.Command == nil {
		return EnvValue{}, false
	}
	return st.stack.Env(st.Command, name)
}
