package stack

import (
	"strings"

	"github.com/headroom-dev/headroom/parsers/python"
)

// configurationVar names the django-configurations class Django loads
// from the settings module.
const configurationVar = "DJANGO_CONFIGURATION"

// chooseConfiguration picks the django-configurations class the settings
// are read from, when the settings module keeps its settings in classes:
// the class DJANGO_CONFIGURATION names in the environment of the process
// that runs the settings; else where the deployment sets it (compose,
// Dockerfile ENV, env files, scripts) or os.environ.setdefault gives its
// default, a production-like class (Production, or one built on it)
// before the others, and Production itself instead of a development or
// test class, as for the settings module. It returns the class with its
// bases in method resolution order, nil when no class can be chosen.
func (s *Stack) chooseConfiguration(st *Settings) []*python.ConfClass {
	m := st.Module.Python
	if m == nil || len(m.ConfClasses) == 0 || !configurationClass.Match(st.Module.Doc.Src) {
		return nil
	}
	pick := func(mro []*python.ConfClass, why string) []*python.ConfClass {
		st.Configuration, st.ConfigurationChosen = mro[0].Name, why
		st.Chosen += "; class " + mro[0].Name + " (" + why + ")"
		return mro
	}
	var named [][]*python.ConfClass
	var where []string
	var vars []EnvValue
	if st.Command != nil {
		if v, ok := s.Env(st.Command, configurationVar); ok {
			vars = append(vars, v)
			if mro := m.MRO(v.Value); mro != nil && !devNames[strings.ToLower(mro[0].Name)] {
				return pick(mro, configurationVar+" ("+v.Where+")") // what the process itself sees
			}
		}
	}
	for _, v := range append(vars, append(s.looseVars(configurationVar), s.setdefaultVars(configurationVar)...)...) {
		if mro := m.MRO(v.Value); mro != nil {
			named = append(named, mro)
			where = append(where, configurationVar+" ("+v.Where+")")
		}
	}
	for i, mro := range named {
		if productionClass(mro) {
			return pick(mro, where[i])
		}
	}
	for i, mro := range named {
		if !devNames[strings.ToLower(mro[0].Name)] {
			return pick(mro, where[i])
		}
	}
	for _, c := range m.ConfClasses {
		if prodNames[strings.ToLower(c.Name)] {
			if mro := m.MRO(c.Name); mro != nil {
				why := "taken as the production configuration by its name; nothing sets " + configurationVar
				if len(named) > 0 {
					why = "taken as the production configuration by its name: " + where[0] + " names " + named[0][0].Name + ", a development one"
				}
				return pick(mro, why)
			}
		}
	}
	if len(named) > 0 {
		return pick(named[0], where[0])
	}
	return nil
}

// prodNames are the names of production settings modules and classes.
var prodNames = map[string]bool{"production": true, "prod": true, "prd": true, "live": true}

// productionClass reports whether a class is, or is built on, a
// production configuration.
func productionClass(mro []*python.ConfClass) bool {
	for _, c := range mro {
		if prodNames[strings.ToLower(c.Name)] {
			return true
		}
	}
	return false
}
