package stack

import (
	"path/filepath"
	"testing"
)

// TestMakefileRecipe loads the realworld stack whose ENTRYPOINT runs
// `make prodserver`: the recipe's gunicorn is a command, run by the
// image, with its worker count taken from the target-specific variable.
func TestMakefileRecipe(t *testing.T) {
	s, errs := Load([]string{"../testdata/realworld/makefile-recipe"}, 0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var found *Command
	for _, c := range s.Commands {
		if filepath.Base(c.File.Doc.Path) == "Makefile" && c.Server.Program == "gunicorn" {
			if found != nil {
				t.Fatal("the devserver recipe, which nothing runs, is a command too")
			}
			found = c
		}
	}
	if found == nil {
		t.Fatal("the Makefile recipe's gunicorn is not a command")
	}
	if l := s.d.launch[found]; l == nil || l.docker == nil {
		t.Error("the Makefile is not linked to the Dockerfile whose ENTRYPOINT runs make")
	}
	st := s.Setting(found, "workers")
	if n, ok := st.Int(); !ok || n != 3 || st.File != found.File {
		t.Errorf("workers = %q (known %v) from %v, want 3 from the Makefile's NUM_PROCS:=3", st.Value, st.Known, st.Where())
	}
	if len(found.Server.Argv.Words) == 0 || found.Server.Argv.Words[0].Value != "gunicorn" {
		t.Errorf("argv %v", found.Server.Argv.Words)
	}
}

// TestConfigPathVariable follows a config path written with a variable the
// image's ENV sets (`-c "${APP_DIR}/gunicorn.conf.py"`) to the file.
func TestConfigPathVariable(t *testing.T) {
	s := build(t, map[string]string{
		"Dockerfile":              "FROM python:3.12\nENV APP_DIR=/srv/app\nCOPY deploy/gunicorn.conf.py /srv/app/gunicorn.conf.py\nCMD [\"/start.sh\"]\nCOPY start.sh /start.sh\n",
		"start.sh":                "#!/bin/sh\nexec gunicorn -c \"${APP_DIR}/gunicorn.conf.py\" app.wsgi\n",
		"deploy/gunicorn.conf.py": "workers = 3\n",
	})
	for _, c := range s.Commands {
		f, missing := s.Config(c)
		if missing || f == nil || f.Doc.Path != "deploy/gunicorn.conf.py" {
			t.Errorf("config of %s: %v (missing %v)", c.File.Doc.Path, f, missing)
		}
	}
	if len(s.Commands) == 0 {
		t.Fatal("no command")
	}
}
