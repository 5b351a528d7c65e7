package edit

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/dockerfile"
	"github.com/headroom-dev/headroom/parsers/servercmd"
)

// dockerCmd parses src and returns its first server command.
func dockerCmd(t *testing.T, src string) *servercmd.Command {
	t.Helper()
	f, err := dockerfile.Parse(parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte(src)))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	for _, a := range f.Commands() {
		if c := servercmd.Parse(a); c != nil {
			return c
		}
	}
	t.Fatalf("no server in %q", src)
	return nil
}

// composeCmd parses a compose file and returns its first service's command.
func composeCmd(t *testing.T, src string) *servercmd.Command {
	t.Helper()
	f, err := compose.Parse(parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(src)))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	c := servercmd.Parse(*f.Services[0].Command)
	if c == nil {
		t.Fatalf("no server in %q", src)
	}
	return c
}

// apply applies edits and checks the result still parses as a Dockerfile
// (or compose file) whose command the gunicorn model reads.
func argvApply(t *testing.T, c *servercmd.Command, edits ...TextEdit) string {
	t.Helper()
	out, err := Apply(c.Argv.Doc.Src, edits)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	doc := parsers.NewDocument(c.Argv.Doc.Path, c.Argv.Doc.Kind, out)
	switch doc.Kind {
	case parsers.KindDockerfile:
		if _, err := dockerfile.Parse(doc); err != nil {
			t.Fatalf("result does not parse: %v\n%s", err, out)
		}
	case parsers.KindCompose:
		if _, err := compose.Parse(doc); err != nil {
			t.Fatalf("result does not parse: %v\n%s", err, out)
		}
	}
	return string(out)
}

func argvCheck(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestArgvSetOption(t *testing.T) {
	cases := []struct{ src, want string }{
		{"FROM x\nCMD [\"gunicorn\", \"app\", \"--workers\", \"3\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \"--workers\", \"8\"]\n"},
		{"FROM x\nCMD [\"gunicorn\", \"app\", \"--workers=3\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \"--workers=8\"]\n"},
		{"FROM x\nCMD [\"gunicorn\", \"app\", \"-w3\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \"-w8\"]\n"},
		{"FROM x\nCMD gunicorn app -w 3\n", "FROM x\nCMD gunicorn app -w 8\n"},
		{"FROM x\nCMD gunicorn app -w '3'\n", "FROM x\nCMD gunicorn app -w '8'\n"},
		{"FROM x\nCMD gunicorn app --workers=\"3\"\n", "FROM x\nCMD gunicorn app --workers=\"8\"\n"},
		{"FROM x\nCMD gunicorn app -w3 \\\r\n  --bind :80\r\n", "FROM x\nCMD gunicorn app -w8 \\\r\n  --bind :80\r\n"},
	}
	for _, c := range cases {
		cmd := dockerCmd(t, c.src)
		argvCheck(t, argvApply(t, cmd, ArgvSetOption(cmd.Argv, cmd.Lookup("workers"), "8")), c.want)
	}
}

func TestArgvAppendExec(t *testing.T) {
	cases := []struct{ src, want string }{
		{"FROM x\nCMD [\"gunicorn\", \"app\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \"--max-requests\", \"1000\"]\n"},
		{"FROM x\nCMD [\"gunicorn\",\"app\"]\n", "FROM x\nCMD [\"gunicorn\",\"app\",\"--max-requests\",\"1000\"]\n"},
		{"FROM x\nCMD [\"gunicorn\", \"app\", \\\n     \"-w\", \"3\" ]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \\\n     \"-w\", \"3\", \\\n     \"--max-requests\", \"1000\" ]\n"},
		// CRLF continuation lines are copied as written.
		{"FROM x\r\nCMD [\"gunicorn\", \\\r\n  \"app\"]\r\n", "FROM x\r\nCMD [\"gunicorn\", \\\r\n  \"app\", \\\r\n  \"--max-requests\", \"1000\"]\r\n"},
		// A break that holds a comment line is not copied.
		{"FROM x\nCMD [\"gunicorn\", \\\n# the app\n  \"app\"]\n", "FROM x\nCMD [\"gunicorn\", \\\n# the app\n  \"app\", \"--max-requests\", \"1000\"]\n"},
		{"FROM x\nENTRYPOINT [\"gunicorn\"]\nCMD []\n", "FROM x\nENTRYPOINT [\"gunicorn\"]\nCMD [\"--max-requests\", \"1000\"]\n"},
	}
	for _, c := range cases {
		cmd := dockerCmd(t, c.src)
		argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--max-requests", "1000")), c.want)
	}
}

func TestArgvAppendShell(t *testing.T) {
	src := "FROM x\nCMD exec gunicorn app \\\n  -w 3 \"$@\"\n"
	cmd := dockerCmd(t, src)
	argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--max-requests", "1000", "--name", "my app")),
		"FROM x\nCMD exec gunicorn app \\\n  -w 3 \\\n  --max-requests 1000 --name 'my app' \"$@\"\n")

	src = "FROM x\nCMD gunicorn app && echo done\n"
	cmd = dockerCmd(t, src)
	argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--timeout", "60")), "FROM x\nCMD gunicorn app --timeout 60 && echo done\n")
}

func TestArgvRemove(t *testing.T) {
	cases := []struct{ src, want string }{
		{"FROM x\nCMD [\"gunicorn\", \"app\", \"--worker-connections\", \"500\", \"-w\", \"3\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \"-w\", \"3\"]\n"},
		{"FROM x\nCMD [\"gunicorn\", \"app\", \\\n  \"--worker-connections\", \"500\", \\\n  \"-w\", \"3\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \\\n  \"-w\", \"3\"]\n"},
		{"FROM x\nCMD [\"gunicorn\", \"app\", \\\n  \"--worker-connections=500\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\"]\n"},
		{"FROM x\nCMD gunicorn app \\\n  --worker-connections 500 \\\n  -w 3\n", "FROM x\nCMD gunicorn app \\\n  -w 3\n"},
		{"FROM x\nCMD [\"gunicorn\", \"app\", \\\n# keep me\n  \"--worker-connections\", \"500\", \\\r\n  \"-w\", \"3\"]\n", "FROM x\nCMD [\"gunicorn\", \"app\", \\\n# keep me\n  \"-w\", \"3\"]\n"},
		{"FROM x\nCMD gunicorn app \\\n# keep me\n  --worker-connections 500 \\\n  -w 3\n", "FROM x\nCMD gunicorn app \\\n# keep me\n  -w 3\n"},
		{"FROM x\nENTRYPOINT [\"gunicorn\"]\nCMD [\"--worker-connections\", \"500\", \"app\"]\n", "FROM x\nENTRYPOINT [\"gunicorn\"]\nCMD [\"app\"]\n"},
		{"FROM x\nENTRYPOINT [\"gunicorn\", \"app\"]\nCMD [\"--worker-connections\", \"500\"]\n", "FROM x\nENTRYPOINT [\"gunicorn\", \"app\"]\nCMD []\n"},
	}
	for _, c := range cases {
		cmd := dockerCmd(t, c.src)
		argvCheck(t, argvApply(t, cmd, ArgvRemoveOption(cmd.Argv, cmd.Lookup("worker-connections"))), c.want)
	}
}

func TestArgvCompose(t *testing.T) {
	block := "services:\n  web:\n    command:\n      - gunicorn\n      - \"app.wsgi\"\n      - \"--worker-connections\"\n      - \"500\"\n      - \"-w\"\n      - \"3\"\n"
	cmd := composeCmd(t, block)
	argvCheck(t, argvApply(t, cmd, ArgvSetOption(cmd.Argv, cmd.Lookup("workers"), "8")), "services:\n  web:\n    command:\n      - gunicorn\n      - \"app.wsgi\"\n      - \"--worker-connections\"\n      - \"500\"\n      - \"-w\"\n      - \"8\"\n")
	argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--timeout", "60")), block+"      - \"--timeout\"\n      - \"60\"\n")
	argvCheck(t, argvApply(t, cmd, ArgvRemoveOption(cmd.Argv, cmd.Lookup("worker-connections"))), "services:\n  web:\n    command:\n      - gunicorn\n      - \"app.wsgi\"\n      - \"-w\"\n      - \"3\"\n")

	plain := "services:\r\n  web:\r\n    command:\r\n    - gunicorn\r\n    - app.wsgi   # the app\r\n"
	cmd = composeCmd(t, plain)
	argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--timeout", "60")), plain[:len(plain)-2]+"\r\n    - --timeout\r\n    - \"60\"\r\n")

	flow := "services:\n  web:\n    command: [gunicorn, 'app.wsgi', '-w', '3']\n"
	cmd = composeCmd(t, flow)
	argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--timeout", "60")), "services:\n  web:\n    command: [gunicorn, 'app.wsgi', '-w', '3', '--timeout', '60']\n")

	str := "services:\n  web:\n    command: gunicorn app.wsgi -w 3\n"
	cmd = composeCmd(t, str)
	argvCheck(t, argvApply(t, cmd, ArgvAppend(cmd.Argv, "--timeout", "60"), ArgvSetOption(cmd.Argv, cmd.Lookup("workers"), "8")), "services:\n  web:\n    command: gunicorn app.wsgi -w 8 --timeout 60\n")
}

func TestArgvWord(t *testing.T) {
	doc := parsers.NewDocument("Dockerfile", parsers.KindDockerfile, nil)
	exec := parsers.Argv{Doc: doc, Form: parsers.FormExec}
	if got := ArgvWord(exec, `a"b<c>`, '"'); got != `"a\"b<c>"` {
		t.Errorf("exec: %s", got)
	}
	sh := parsers.Argv{Doc: doc, Form: parsers.FormShell}
	for in, want := range map[string]string{"1000": "1000", "a b": "'a b'", "$x": "'$x'"} {
		if got := ArgvWord(sh, in, 0); got != want {
			t.Errorf("shell %q: %s", in, got)
		}
	}
	if got := ArgvWord(sh, `a"$b`, '"'); got != `"a\"\$b"` {
		t.Errorf("shell dq: %s", got)
	}
}

// TestArgvJoinedAcrossFiles: in an argv joined from a Dockerfile's
// ENTRYPOINT and a compose command, words of the entrypoint are edited in
// the Dockerfile, words of the command and new words in the compose file,
// and a removal spanning both is an edit no file takes.
func TestArgvJoinedAcrossFiles(t *testing.T) {
	dsrc := "FROM python:3.12\nENTRYPOINT [\"gunicorn\", \"--preload\", \"app.wsgi\"]\n"
	df, err := dockerfile.Parse(parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte(dsrc)))
	if err != nil {
		t.Fatal(err)
	}
	ep := df.EntrypointOf(nil).Argvs[0]
	csrc := "services:\n  web:\n    command: [\"--workers\", \"2\"]\n"
	cf, err := compose.Parse(parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(csrc)))
	if err != nil {
		t.Fatal(err)
	}
	cmd := *cf.Service("web").Command
	a := parsers.Join(ep, cmd)
	if a.Head == nil || a.Doc != cmd.Doc {
		t.Fatalf("join across files: head %v", a.Head)
	}
	apply := func(e TextEdit, src string) string {
		t.Helper()
		out, err := Apply([]byte(src), []TextEdit{e})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	if e := ArgvRemoveWords(a, 1, 1); e.Path != "Dockerfile" || apply(e, dsrc) != "FROM python:3.12\nENTRYPOINT [\"gunicorn\", \"app.wsgi\"]\n" {
		t.Errorf("removing an entrypoint word: %+v", e)
	}
	c := servercmd.Parse(a)
	if c == nil {
		t.Fatal("joined argv is not a server")
	}
	if e := ArgvSetOption(a, c.Lookup("workers"), "8"); e.Path != cmd.Doc.Path || apply(e, csrc) != "services:\n  web:\n    command: [\"--workers\", \"8\"]\n" {
		t.Errorf("setting a command option: %+v", e)
	}
	if e := ArgvAppend(a, "--timeout", "60"); e.Path != cmd.Doc.Path || apply(e, csrc) != "services:\n  web:\n    command: [\"--workers\", \"2\", \"--timeout\", \"60\"]\n" {
		t.Errorf("appending: %+v", e)
	}
	if e := ArgvRemoveWords(a, 2, 3); Validate(len(csrc), []TextEdit{e}) == nil {
		t.Errorf("a removal across both files was accepted: %+v", e)
	}
}
