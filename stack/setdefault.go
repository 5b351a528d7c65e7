package stack

import (
	"path"
	"regexp"
	"strings"
)

// setdefaultRe matches os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")
// (or DJANGO_CONFIGURATION), or environ.setdefault after `from os import environ`,
// as wsgi.py, asgi.py, manage.py and celery.py write it.
var setdefaultRe = map[string]*regexp.Regexp{
	settingsVar:      setdefaultOf(settingsVar),
	configurationVar: setdefaultOf(configurationVar),
}

func setdefaultOf(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^[ \t]*(?:os\.)?environ\.setdefault\(\s*["']` + name + `["']\s*,\s*(["'])([A-Za-z_][\w.]*)(["'])\s*\)`)
}

// setdefaultModules are the modules whose os.environ.setdefault names the
// settings module a process uses where the environment does not, in the
// order they are trusted: the server entry points first.
var setdefaultModules = []string{"wsgi.py", "asgi.py", "celery.py", "manage.py"}

// setdefaultVars returns the settings modules named by
// os.environ.setdefault in the entry-point modules of the stack, each as
// the value it gives DJANGO_SETTINGS_MODULE: the server entry points'
// first, and a production module before a local, test or CI one.
func (s *Stack) setdefaultVars(varName string) []EnvValue {
	var found []EnvValue
	for _, name := range setdefaultModules {
		for _, f := range s.Files {
			if path.Base(f.Doc.Path) != name {
				continue
			}
			m := setdefaultRe[varName].FindSubmatchIndex(f.Doc.Src)
			if m == nil || string(f.Doc.Src[m[2]:m[3]]) != string(f.Doc.Src[m[6]:m[7]]) {
				continue
			}
			v := EnvValue{Name: varName, Value: string(f.Doc.Src[m[4]:m[5]]), File: f, Where: "os.environ.setdefault in " + f.Doc.Path}
			v.Span.Start, v.Span.End = m[4]-1, m[5]+1
			v.EditSpan.Start, v.EditSpan.End = m[4], m[5]
			found = append(found, v)
		}
	}
	var prod, other, dev []EnvValue
	for _, v := range found {
		last := strings.ToLower(v.Value[strings.LastIndex(v.Value, ".")+1:])
		switch {
		case last == "production" || last == "prod" || last == "prd" || last == "live":
			prod = append(prod, v)
		case devNames[last]:
			dev = append(dev, v)
		default:
			other = append(other, v)
		}
	}
	return append(append(prod, other...), dev...)
}
