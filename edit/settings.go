package edit

import (
	"errors"
	"strings"

	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/stack"
)

// SettingSet changes the value a Django setting takes where the deployment
// decides it: the variable's value in the compose environment, env file or
// Dockerfile ENV when the setting is read from the environment and the
// deployment sets it; else the literal, or the environment read's default,
// in the settings module that wrote it. src is a Python literal ("600",
// "True").
func SettingSet(st *stack.Settings, o *python.Object, src string) (TextEdit, error) {
	if o == nil {
		return TextEdit{}, errors.New("no value to set")
	}
	if v := st.Value(o); v.Env != nil {
		return EnvSet(*v.Env, src), nil
	}
	return PythonSetValue(o.Doc(), o, src)
}

// EnvSet replaces a variable's value where it is set, written as an
// environment value: "600", "True"; a string literal loses its Python
// quotes.
func EnvSet(ev stack.EnvValue, src string) TextEdit {
	if len(src) >= 2 && (src[0] == '"' || src[0] == '\'') && src[len(src)-1] == src[0] {
		src = src[1 : len(src)-1]
	}
	return TextEdit{Path: ev.File.Doc.Path, Span: ev.EditSpan, New: strings.TrimSpace(src)}
}

// SettingsSet is PythonSetIn on the settings Django runs with, except that
// a key already set from an environment variable the deployment sets is
// changed in the deployment (SettingSet).
func SettingsSet(st *stack.Settings, path []string, entries ...PyEntry) ([]TextEdit, error) {
	var edits []TextEdit
	var rest []PyEntry
	container := st.NS.Lookup(path[0], path[1:]...)
	for _, e := range entries {
		cur := container.Get(e.Key)
		if cur != nil && e.Value.Dict == nil {
			if v := st.Value(cur); v.Env != nil {
				edits = append(edits, EnvSet(*v.Env, e.Value.Src))
				continue
			}
		}
		rest = append(rest, e)
	}
	if len(rest) > 0 {
		more, err := PythonSetIn(st.NS, path, rest...)
		if err != nil {
			return nil, err
		}
		edits = append(edits, more...)
	}
	return edits, nil
}
