package stack

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func build(t *testing.T, files map[string]string) *Stack {
	t.Helper()
	var fs []*File
	for p, src := range files {
		f, err := Parse(parsers.NewDocument(p, parsers.Detect(p, []byte(src)), []byte(src)))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		fs = append(fs, f)
	}
	return New(fs)
}

func TestSettingsChain(t *testing.T) {
	s := build(t, map[string]string{
		"Dockerfile":                    "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=config.settings.staging\nCMD gunicorn config.wsgi\n",
		"config/settings/base.py":       "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'CONN_MAX_AGE': 0}}\n",
		"config/settings/production.py": "from .base import *\nDATABASES['default']['CONN_MAX_AGE'] = 60\n",
		"config/settings/staging.py":    "from .production import *\nDATABASES['default']['CONN_MAX_AGE'] = 30\n",
	})
	all := s.DjangoSettings()
	if len(all) != 1 || all[0].Module.Doc.Path != "config/settings/staging.py" {
		t.Fatalf("settings chosen: %+v", all)
	}
	st := all[0]
	age := st.NS.Lookup("DATABASES", "default", "CONN_MAX_AGE")
	if v := st.Value(age); !v.Known || v.Lit.Int != 30 || age.Doc().Path != "config/settings/staging.py" {
		t.Errorf("CONN_MAX_AGE = %+v from %s", v, age.Doc().Path)
	}
	if len(st.Files) != 3 || !strings.Contains(st.Chosen, "ENV in Dockerfile") {
		t.Errorf("files %d, chosen %q", len(st.Files), st.Chosen)
	}
	// production.py's own view is untouched by staging's override.
	prod := s.settingsModule("config.settings.production")
	if got := s.SettingsFor(prod); len(got) != 0 {
		t.Errorf("production.py is imported, not an entry: %d", len(got))
	}
}

func TestNginxIncludeOutsideTree(t *testing.T) {
	s := build(t, map[string]string{
		"nginx/conf.d/app.conf": "server {\n    listen 80;\n    include ../../../shared/headers.conf;\n}\n",
	})
	found := false
	for _, sk := range s.Skipped {
		found = found || strings.Contains(sk.Reason, "outside the tree")
	}
	if !found {
		t.Errorf("an include leaving the tree is not noted: %+v", s.Skipped)
	}
}

func TestClassSettingsNoted(t *testing.T) {
	s := build(t, map[string]string{
		"Dockerfile": "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=app.settings DJANGO_CONFIGURATION=Production\nCMD gunicorn app.wsgi\n",
		"app/settings.py": "from configurations import Configuration, values\n\n" +
			"class Base(Configuration):\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n\n" +
			"class Production(Base):\n    DEBUG = False\n",
	})
	found := false
	for _, sk := range s.Skipped {
		found = found || sk.Path == "app/settings.py" && strings.Contains(sk.Reason, "django-configurations")
	}
	if !found {
		t.Errorf("class-based settings are not noted: %+v", s.Skipped)
	}
	// A module-level DATABASES is read as usual: no notice.
	s = build(t, map[string]string{
		"Dockerfile":      "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=app.settings\nCMD gunicorn app.wsgi\n",
		"app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n\nclass Dev(Configuration):\n    pass\n",
	})
	if len(s.Skipped) != 0 {
		t.Errorf("module-level settings noted: %+v", s.Skipped)
	}
}
