package dockerfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func parse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse(parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte(src)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

// words returns each word's value and the source text its span covers.
func words(a parsers.Argv) (vals, texts []string) {
	for _, w := range a.Words {
		vals = append(vals, w.Value)
		texts = append(texts, a.Doc.Text(w.Span))
	}
	return
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func one(t *testing.T, f *File) parsers.Argv {
	t.Helper()
	cmds := f.Commands()
	if len(cmds) != 1 {
		t.Fatalf("Commands() = %d argvs, want 1", len(cmds))
	}
	return cmds[0]
}

func TestExecForm(t *testing.T) {
	src := "FROM python:3.12\n" +
		"CMD [\"gunicorn\", \"wingman.asgi:application\", \"--bind\", \"0.0.0.0:8000\", \\\n" +
		"     \"-k\", \"uvicorn.workers.UvicornWorker\", \"--workers\", \"3\"]\n"
	f := parse(t, src)
	a := one(t, f)
	if a.Form != parsers.FormExec {
		t.Errorf("form = %v", a.Form)
	}
	vals, texts := words(a)
	eq(t, "values", vals, []string{"gunicorn", "wingman.asgi:application", "--bind", "0.0.0.0:8000", "-k", "uvicorn.workers.UvicornWorker", "--workers", "3"})
	eq(t, "texts", texts, []string{`"gunicorn"`, `"wingman.asgi:application"`, `"--bind"`, `"0.0.0.0:8000"`, `"-k"`, `"uvicorn.workers.UvicornWorker"`, `"--workers"`, `"3"`})
	if got := src[a.AppendAt:]; got != "]\n" {
		t.Errorf("AppendAt before %q", got)
	}
	if got := a.Doc.Text(a.Span); !strings.HasPrefix(got, "[") || !strings.HasSuffix(got, "]") {
		t.Errorf("span %q", got)
	}
	if p := a.Doc.Position(a.Words[7].Span.Start); p.Line != 3 {
		t.Errorf("last word on line %d", p.Line)
	}
	for _, w := range a.Words {
		if w.Quote != '"' {
			t.Errorf("quote %q", w.Quote)
		}
	}
}

func TestExecFormEscapesAndComments(t *testing.T) {
	src := "FROM x\n" +
		"CMD [ \"echo\" ,\"a\\\"b\", \\\n" +
		"# a comment inside the continuation\n" +
		"\n" +
		"   \"\\u00e9\" ]\n"
	a := one(t, parse(t, src))
	vals, texts := words(a)
	eq(t, "values", vals, []string{"echo", `a"b`, "é"})
	eq(t, "texts", texts, []string{`"echo"`, `"a\"b"`, `"\u00e9"`})
}

func TestEmptyExec(t *testing.T) {
	f := parse(t, "FROM x\nCMD []\n")
	a := f.Cmd().Argvs[0]
	if len(a.Words) != 0 || a.Doc.Src[a.AppendAt] != ']' {
		t.Errorf("empty array: %+v", a)
	}
}

func TestShellForm(t *testing.T) {
	src := "FROM x\n" +
		"ENTRYPOINT python manage.py migrate && \\\n" +
		"    WEB=1 exec gosu app gunicorn app.wsgi -w3 --bind=':8000' \"$@\"\n"
	f := parse(t, src)
	cmds := f.Commands()
	if len(cmds) != 2 {
		t.Fatalf("got %d argvs", len(cmds))
	}
	vals, texts := words(cmds[1])
	eq(t, "values", vals, []string{"gunicorn", "app.wsgi", "-w3", "--bind=:8000"})
	eq(t, "texts", texts, []string{"gunicorn", "app.wsgi", "-w3", "--bind=':8000'"})
	if got := src[cmds[1].AppendAt:]; got != " \"$@\"\n" {
		t.Errorf("AppendAt before %q", got)
	}
	if cmds[1].Form != parsers.FormShell {
		t.Errorf("form %v", cmds[1].Form)
	}
	vals, _ = words(cmds[0])
	eq(t, "first", vals, []string{"python", "manage.py", "migrate"})
}

func TestCRLF(t *testing.T) {
	src := "FROM x\r\nCMD gunicorn app:app \\\r\n  --workers 3\r\nENV A=1\r\n"
	a := one(t, parse(t, src))
	_, texts := words(a)
	eq(t, "texts", texts, []string{"gunicorn", "app:app", "--workers", "3"})
	if got := src[a.AppendAt:]; got != "\r\nENV A=1\r\n" {
		t.Errorf("AppendAt before %q", got)
	}
	src = "FROM x\r\nCMD [\"gunicorn\", \\\r\n  \"-w\", \"3\"]\r\n"
	_, texts = words(one(t, parse(t, src)))
	eq(t, "exec texts", texts, []string{`"gunicorn"`, `"-w"`, `"3"`})
}

func TestBOMAndEscapeDirective(t *testing.T) {
	src := "\xef\xbb\xbfFROM x\nCMD [\"a\"]\n"
	_, texts := words(one(t, parse(t, src)))
	eq(t, "bom", texts, []string{`"a"`})

	src = "# escape=`\nFROM x\nCMD gunicorn app `\n  -w 2\n"
	f := parse(t, src)
	if f.EscapeToken != '`' {
		t.Errorf("escape %q", f.EscapeToken)
	}
	_, texts = words(one(t, f))
	eq(t, "backtick", texts, []string{"gunicorn", "app", "-w", "2"})
}

func TestMultiStage(t *testing.T) {
	src := `FROM python:3.12 AS base
CMD ["python", "-V"]
ENV WEB_CONCURRENCY=3 GUNICORN_CMD_ARGS="--timeout 60"

FROM base AS build
RUN pip install -r requirements.txt

FROM node:20 AS assets
CMD ["node"]

FROM base
ENV WEB_CONCURRENCY 4
ENTRYPOINT ["/entrypoint.sh"]
`
	f := parse(t, src)
	if len(f.Stages) != 4 || f.Stages[0].Name != "base" || f.FinalStage().Base != "base" {
		t.Fatalf("stages: %+v", f.Stages)
	}
	// ENTRYPOINT set in the final stage resets the CMD it would inherit.
	if f.Cmd() != nil {
		t.Errorf("inherited CMD survived an ENTRYPOINT")
	}
	cmds := f.Commands()
	if len(cmds) != 1 || cmds[0].Words[0].Value != "/entrypoint.sh" {
		t.Errorf("commands %+v", cmds)
	}
	e, ok := f.LookupEnv("WEB_CONCURRENCY")
	if !ok || e.Value != "4" || f.Doc.Text(e.ValueSpan) != "4" || f.Doc.Text(e.Span) != "WEB_CONCURRENCY 4" {
		t.Errorf("WEB_CONCURRENCY = %+v", e)
	}
	g, ok := f.LookupEnv("GUNICORN_CMD_ARGS")
	if !ok || g.Value != "--timeout 60" || f.Doc.Text(g.ValueSpan) != `"--timeout 60"` || g.Quote != '"' || f.Doc.Text(g.KeySpan) != "GUNICORN_CMD_ARGS" {
		t.Errorf("GUNICORN_CMD_ARGS = %+v", g)
	}
}

func TestInheritedCmd(t *testing.T) {
	f := parse(t, "FROM x AS a\nCMD [\"gunicorn\"]\nFROM a\nRUN true\n")
	if c := f.Cmd(); c == nil || c.Stage.Index != 0 {
		t.Fatalf("CMD not inherited")
	}
	if len(f.Commands()) != 1 {
		t.Errorf("commands %d", len(f.Commands()))
	}
	// A stage FROM an unrelated image inherits nothing.
	f = parse(t, "FROM x AS a\nCMD [\"gunicorn\"]\nFROM y\n")
	if len(f.Commands()) != 0 {
		t.Errorf("commands from an unrelated stage")
	}
}

func TestEntrypointAndCmd(t *testing.T) {
	src := "FROM x\nENTRYPOINT [\"gunicorn\"]\nCMD [\"app:app\", \"-w\", \"2\"]\n"
	f := parse(t, src)
	cmds := f.Commands()
	if len(cmds) != 2 {
		t.Fatalf("got %d argvs", len(cmds))
	}
	vals, _ := words(cmds[0])
	eq(t, "merged", vals, []string{"gunicorn", "app:app", "-w", "2"})
	if got := src[cmds[0].AppendAt:]; got != "]\n" {
		t.Errorf("merged AppendAt before %q", got)
	}
	vals, _ = words(cmds[1])
	eq(t, "cmd", vals, []string{"app:app", "-w", "2"})

	// A shell-form ENTRYPOINT ignores CMD.
	f = parse(t, "FROM x\nENTRYPOINT gunicorn app\nCMD [\"-w\", \"2\"]\n")
	if cmds := f.Commands(); len(cmds) != 1 || len(cmds[0].Words) != 2 {
		t.Errorf("shell entrypoint: %+v", cmds)
	}
}

func TestInstructionSpans(t *testing.T) {
	src := "FROM x\n  run   --mount=type=cache,target=/c  pip install \\\n   y\n"
	f := parse(t, src)
	run := f.Instructions[1]
	if run.Keyword != "RUN" || f.Doc.Text(run.KeywordSpan) != "run" {
		t.Errorf("keyword %q %q", run.Keyword, f.Doc.Text(run.KeywordSpan))
	}
	if got := f.Doc.Text(run.ArgsSpan); got != "pip install \\\n   y" {
		t.Errorf("args %q", got)
	}
	if got := f.Doc.Text(run.Span); got != "run   --mount=type=cache,target=/c  pip install \\\n   y" {
		t.Errorf("span %q", got)
	}
	if len(run.Flags) != 1 {
		t.Errorf("flags %q", run.Flags)
	}
}

func TestHeredoc(t *testing.T) {
	src := "FROM x\nRUN <<EOF\necho hi\nEOF\nCMD [\"a\"]\n"
	f := parse(t, src)
	if len(f.Instructions) != 3 || f.Doc.Text(f.Instructions[1].Span) != "RUN <<EOF\necho hi\nEOF" {
		t.Errorf("heredoc: %q", f.Doc.Text(f.Instructions[1].Span))
	}
	if len(f.Commands()) != 1 {
		t.Error("CMD after heredoc lost")
	}
}

func TestErrors(t *testing.T) {
	cases := []struct{ src, pos string }{
		{"", "1:1"},
		{"# only a comment\n", "1:1"},
		{"FROM x\nCMD [\"a\", 1]\n", "2:1"},
		{"FROM x\nENV A\n", "2:1"},
		{"FROM x\nCMD gunicorn app 'unterminated\n", "2:18"},
		{"FROM x\nCMD echo $(\n", "2:"},
		{"FROM x\nRUN <<EOF\nno end\n", "2:1"},
		{"FROM x\nFORM y\n", "2:1"},
		// The capacity report's CMD, split over lines without continuations.
		{"FROM x\nCMD [\"gunicorn\", \"app\", \n     \"-k\", \"gevent\"]\n", "3:6"},
	}
	for _, c := range cases {
		_, err := Parse(parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte(c.src)))
		var pe *parsers.Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v is not a *parsers.Error", c.src, err)
			continue
		}
		if !strings.HasPrefix(pe.Pos.String(), c.pos) || !strings.HasPrefix(err.Error(), "Dockerfile:") {
			t.Errorf("%q: error %q, want at %s", c.src, err, c.pos)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"FROM x\nCMD [\"a\", \"b\"]\n",
		"FROM x\nCMD a \\\n b \"$@\"\n",
		"FROM x\r\nENV A=1 B='2 3'\r\n",
		"# escape=`\nFROM x\nCMD a `\n b\n",
		"FROM x\nRUN <<EOF\nx\nEOF\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		doc := parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte(src))
		file, err := Parse(doc)
		if err != nil {
			return
		}
		for _, a := range file.Commands() {
			for _, w := range a.Words {
				if w.Span.Start < 0 || w.Span.End > len(src) || w.Span.Start > w.Span.End {
					t.Fatalf("bad span %v", w.Span)
				}
			}
			if a.AppendAt < 0 || a.AppendAt > len(src) {
				t.Fatalf("bad AppendAt %d", a.AppendAt)
			}
		}
	})
}
