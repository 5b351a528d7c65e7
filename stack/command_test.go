package stack

import (
	"path/filepath"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

// mustParse parses one file of a stack, its kind taken from its name.
func mustParse(t *testing.T, name, src string) *File {
	t.Helper()
	f, err := Parse(parsers.NewDocument(name, parsers.Detect(name, []byte(src)), []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

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

// TestComposeCommandAfterEntrypoint: a compose service's command runs
// after the exec-form ENTRYPOINT of the Dockerfile it builds (Docker runs
// ENTRYPOINT + command), joined across the two files; an option in the
// entrypoint keeps them apart, since findings on it would be placed in
// the compose file.
func TestComposeCommandAfterEntrypoint(t *testing.T) {
	s, errs := Load([]string{"../testdata/realworld/compose-command-after-entrypoint"}, 0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var found *Command
	for _, c := range s.Commands {
		if c.File.Compose != nil {
			found = c
		}
	}
	if found == nil || found.Server.Program != "gunicorn" || found.Service != "web" {
		t.Fatalf("the service's command is not read as gunicorn: %+v", found)
	}
	a := found.Server.Argv
	if a.Head == nil || a.Joined != 2 || a.Doc != found.File.Doc || a.Head.Doc.Kind != parsers.KindDockerfile {
		t.Errorf("argv not joined across the files: joined %d, head %v", a.Joined, a.Head)
	}
	if st := s.Setting(found, "workers"); st.Value != "4" {
		t.Errorf("workers = %q, want the command's 4", st.Value)
	}

	for _, ep := range []string{`["gunicorn", "app.wsgi", "-w", "2"]`, `["gunicorn", "app.wsgi", "-w"]`} {
		df := mustParse(t, "Dockerfile", "FROM python:3.12\nENTRYPOINT "+ep+"\n")
		cf := mustParse(t, "docker-compose.yml", "services:\n  web:\n    build: .\n    command: [\"--timeout\", \"60\"]\n")
		for _, c := range New([]*File{df, cf}).Commands {
			if c.File.Compose != nil {
				t.Errorf("ENTRYPOINT %s: joined with an option of the entrypoint's: %v", ep, c.Server.Argv.Words)
			}
		}
	}
}
