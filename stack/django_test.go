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
	classes := "from configurations import Configuration, values\n\n" +
		"class Base(Configuration):\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n    WORKERS = values.IntegerValue(2)\n\n" +
		"class Development(Base):\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n\n"
	noted := func(s *Stack) bool {
		for _, sk := range s.Skipped {
			if sk.Path == "app/settings.py" && strings.Contains(sk.Reason, "django-configurations") {
				return true
			}
		}
		return false
	}
	// The class the process's environment names is read, with its bases;
	// DJANGO_WORKERS from the same environment wins over the default.
	s := build(t, map[string]string{
		"Dockerfile":      "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=app.settings DJANGO_CONFIGURATION=Production DJANGO_WORKERS=6\nCMD gunicorn app.wsgi\n",
		"app/settings.py": classes + "class Production(Base):\n    DEBUG = False\n",
	})
	st := s.DjangoSettings()
	if len(st) != 1 || st[0].Configuration != "Production" || noted(s) {
		t.Fatalf("the class DJANGO_CONFIGURATION names is not read: %+v %+v", st, s.Skipped)
	}
	if v := st[0].Value(st[0].NS.Lookup("DATABASES", "default", "ENGINE")); v.Lit.Str != "django.db.backends.postgresql" {
		t.Errorf("Production's DATABASES = %+v, want Base's", v)
	}
	if v := st[0].Value(st[0].NS.Names["WORKERS"]); !v.Known || v.Lit.Int != 6 || v.Var != "DJANGO_WORKERS" {
		t.Errorf("WORKERS = %+v, want 6 from $DJANGO_WORKERS", v)
	}
	// os.environ.setdefault names Development: Production beats it.
	s = build(t, map[string]string{
		"Dockerfile":      "FROM python:3.12\nCMD gunicorn app.wsgi\n",
		"app/wsgi.py":     "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\nos.environ.setdefault('DJANGO_CONFIGURATION', 'Development')\n",
		"app/settings.py": classes + "class Production(Base):\n    DEBUG = False\n",
	})
	if st := s.DjangoSettings(); len(st) != 1 || st[0].Configuration != "Production" || !strings.Contains(st[0].ConfigurationChosen, "Development, a development one") {
		t.Errorf("Production is not taken over Development: %+v", st)
	}
	// No class can be chosen: a notice.
	s = build(t, map[string]string{
		"Dockerfile":      "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=app.settings\nCMD gunicorn app.wsgi\n",
		"app/settings.py": "from configurations import Configuration\n\nclass Base(Configuration):\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n",
	})
	if !noted(s) {
		t.Errorf("class-based settings with no class chosen are not noted: %+v", s.Skipped)
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
