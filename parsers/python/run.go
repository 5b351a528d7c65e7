package python

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers/python/internal/sitter"

	"github.com/headroom-dev/headroom/parsers"
)

// Import is a module-level `from X import ...` statement, or a
// django-split-settings include(...) call, which runs other files in the
// module's own namespace.
type Import struct {
	// Module is the module imported from, as written (".base",
	// "config.settings.base"); "" for an include.
	Module string
	// Star says `from X import *`; Names lists the names of any other
	// from-import.
	Star  bool
	Names []string
	// Include lists the file patterns of an include(...) call, relative to
	// the including file (globs allowed), in order; Optional marks those
	// wrapped in optional(...). Unread says an argument was computed
	// (`"env/%s.py" % ENV`) and so could not be followed.
	Include  []string
	Optional []bool
	Unread   bool
	Span     parsers.Span
	// Before is the index in Module.Statements of the first statement after
	// the import: where its names land in the evaluation order.
	Before      int
	Conditional bool
}

// include records a django-split-settings include(...) call.
func (b *builder) include(stmt, n *sitter.Node, conditional bool) bool {
	c := b.expr(n).Call
	if c == nil || (c.Func != "include" && !strings.HasSuffix(c.Func, "split_settings.tools.include")) {
		return false
	}
	imp := &Import{Span: b.span(stmt), Before: len(b.m.Statements), Conditional: conditional}
	for _, a := range c.Args {
		if a.Name != "" || a.Splat {
			continue
		}
		v, opt := a.Value, false
		if v.Call != nil && (v.Call.Func == "optional" || strings.HasSuffix(v.Call.Func, ".optional")) {
			if p := v.Call.Positional(0); p != nil {
				v, opt = p.Value, true
			}
		}
		if v.Value.Kind != Literal || v.Value.Lit.Kind != Str {
			imp.Unread = true
			continue
		}
		imp.Include = append(imp.Include, v.Value.Lit.Str)
		imp.Optional = append(imp.Optional, opt)
	}
	b.m.Imports = append(b.m.Imports, imp)
	return true
}

// Namespace is what a settings module's names hold once it ran, with the
// modules its star imports and includes pulled in, and every statement that
// ran, in order (each knows its file).
type Namespace struct {
	Names      map[string]*Object
	Statements []*Statement
}

// Lookup follows a key path from a name, as Module.Lookup does.
func (ns *Namespace) Lookup(name string, keys ...string) *Object {
	o := ns.Names[name]
	for _, k := range keys {
		if o == nil {
			return nil
		}
		o = o.Get(k)
	}
	return o
}

// Namespace is the module's own names and statements, as if nothing it
// imports held settings.
func (m *Module) Namespace() *Namespace {
	return &Namespace{Names: m.Names, Statements: m.Statements}
}

// Resolver finds the modules a settings module's imports name.
type Resolver interface {
	// Star returns the namespace of the module `from X import *` names, or
	// nil when it is not in view.
	Star(from *Module, imp *Import) *Namespace
	// Include returns the modules an include(...) runs, in order.
	Include(from *Module, imp *Import) []*Module
}

// EnvResolver is a Resolver that knows the deployment's environment: Unset
// reports that nothing in view sets the variable, so a statement that runs
// only where it is set (Statement.RunsIf) is left out, as the code's
// defaults decide where the environment does not.
type EnvResolver interface {
	Resolver
	Unset(name string) bool
}

// Run evaluates m as Python runs it, without running anything: star
// imports copy the names of the module they name (a copy: another settings
// module importing the same base sees it unchanged), includes run their
// files' statements in m's namespace, and m's own statements then rebind
// and mutate what they find, so `DATABASES["default"]["CONN_MAX_AGE"] = 60`
// in production.py lands in the dict base.py wrote.
func Run(m *Module, r Resolver) *Namespace {
	ns := &Namespace{Names: map[string]*Object{}}
	run(ns, m, r)
	return ns
}

func run(ns *Namespace, m *Module, r Resolver) {
	b := &builder{doc: m.Doc, m: m, names: ns.Names, envNames: m.envNames}
	if b.envNames == nil {
		b.envNames = map[string]bool{"env": true}
	}
	imports := m.Imports
	apply := func(before int) {
		for len(imports) > 0 && imports[0].Before <= before {
			imp := imports[0]
			imports = imports[1:]
			switch {
			case imp.Star:
				if src := r.Star(m, imp); src != nil {
					memo := map[*Object]*Object{}
					for name, o := range src.Names {
						ns.Names[name] = o.clone(memo)
					}
					ns.Statements = append(ns.Statements, src.Statements...)
				} else {
					b.starUnknown = true
					if replacesAll(imp) {
						// The module not in view runs after what the
						// settings bound so far and may rebind any of it:
						// none of it is known to be what Django ends up with.
						clear(ns.Names)
					}
				}
			case imp.Module == "":
				for _, inc := range r.Include(m, imp) {
					run(ns, inc, r)
				}
			}
		}
	}
	env, _ := r.(EnvResolver)
	for i, st := range m.Statements {
		apply(i)
		if env != nil && st.RunsIf != nil && st.RunsIf.Flag && env.Unset(st.RunsIf.Var) {
			continue // its branch runs only where a variable the deployment does not set is set
		}
		ns.Statements = append(ns.Statements, st)
		b.eval(st)
	}
	apply(len(m.Statements))
}

// replacesAll says a star import of a module not in view may replace
// every name bound before it: an unconditional import (so the module
// exists where the settings run, copied in at deploy time) of a local
// settings module, the Django convention for per-host overrides kept out
// of the repository (`from .local_settings import *`,
// `from myproject.settings_local import *`, `from .local import *`). An
// optional one inside try/except ImportError (a developer's overrides) is
// not, nor a topical module (`from config.settings.celery import *`).
func replacesAll(imp *Import) bool {
	last := imp.Module[strings.LastIndex(imp.Module, ".")+1:]
	return !imp.Conditional && strings.Contains(strings.ToLower(last), "local")
}

// clone copies an object and everything under it, keeping shared
// sub-objects shared.
func (o *Object) clone(memo map[*Object]*Object) *Object {
	if o == nil {
		return nil
	}
	if c, ok := memo[o]; ok {
		return c
	}
	c := *o
	memo[o] = &c
	c.Alt = o.Alt.clone(memo)
	if o.fields != nil {
		c.fields = make(map[string]*Object, len(o.fields))
		for k, v := range o.fields {
			c.fields[k] = v.clone(memo)
		}
		c.keys = append([]string(nil), o.keys...)
	}
	return &c
}

// Doc is the file that bound the object.
func (o *Object) Doc() *parsers.Document {
	if o == nil || o.Stmt == nil {
		return nil
	}
	return o.Stmt.Doc
}

// CastEnv reads an environment variable's text as a settings module's
// reader converts it: int, float, bool (django-environ's and decouple's
// truthy words) or a string when castName is "".
func CastEnv(text, castName string) (Lit, bool) {
	return castLit(Lit{Kind: Str, Str: text, Quote: '"'}, castName, true)
}
