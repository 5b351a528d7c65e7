package shell

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func TestParseMakefile(t *testing.T) {
	src := "WORKERS ?= 4\nserve: PORT:=8000\nserve:\n\t@cd app && exec gunicorn app.wsgi -w $(WORKERS) \\\n\t  -b :${PORT}\nclean:\n\trm -rf $(shell find . -name '*.pyc')\nodd:\n\tcelery -A x worker $(if $(X),-c 2)\n"
	doc := parsers.NewDocument("Makefile", parsers.KindShell, []byte(src))
	s, err := ParseMakefile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Commands) != 2 {
		t.Fatalf("%d commands, want 2 (cd, gunicorn): %v", len(s.Commands), s.Commands)
	}
	g := s.Commands[1]
	if g.Words[0].Value != "gunicorn" || doc.Text(g.Words[0].Span) != "gunicorn" {
		t.Errorf("first word %q at %q", g.Words[0].Value, doc.Text(g.Words[0].Span))
	}
	if w := g.Words[3]; w.Value != "${WORKERS}" || doc.Text(w.Span) != "$(WORKERS)" {
		t.Errorf("workers word %q written %q", w.Value, doc.Text(w.Span))
	}
	for name, want := range map[string]string{"WORKERS": "4", "PORT": "8000"} {
		v, ok := s.Lookup(name)
		if !ok || v.Value != want || doc.Text(v.ValueSpan) != want {
			t.Errorf("%s = %q, want %q", name, v.Value, want)
		}
	}
}

func TestMakefileTargets(t *testing.T) {
	src := ".PHONY: dev prod\ndev:\n\tgunicorn app.wsgi --reload\nprod: NUM:=3\nprod: static\n\tgunicorn app.wsgi -w ${NUM}\n"
	s, err := ParseMakefile(parsers.NewDocument("Makefile", parsers.KindShell, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Targets) != 2 || s.Targets[0] != "dev" || s.Targets[1] != "prod" || s.DefaultTarget != "dev" {
		t.Errorf("targets %v, default %q", s.Targets, s.DefaultTarget)
	}
}
