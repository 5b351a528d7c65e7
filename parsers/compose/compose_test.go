package compose

import (
	"errors"
	"math/rand"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/parsers"
)

func parse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse(parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// words checks that each word's span covers exactly the text written.
func words(t *testing.T, f *File, a *parsers.Argv) []string {
	t.Helper()
	var out []string
	for _, w := range a.Words {
		raw := f.Doc.Text(w.Span)
		if w.Quote != 0 {
			raw = strings.Trim(raw, string(w.Quote))
		}
		if raw != w.Value {
			t.Errorf("word %q spans %q", w.Value, f.Doc.Text(w.Span))
		}
		out = append(out, w.Value)
	}
	return out
}

func TestCommandForms(t *testing.T) {
	cases := []struct {
		name, src, want, appendAfter string
		form                         parsers.ArgvForm
	}{
		{"plain", "services:\n  web:\n    command: gunicorn app.wsgi -w 3  # three\n", "gunicorn app.wsgi -w 3", "-w 3", parsers.FormShell},
		{"double quoted", "services:\n  web:\n    command: \"gunicorn app.wsgi -w 3\"\n", "gunicorn app.wsgi -w 3", "-w 3", parsers.FormShell},
		{"flow", "services:\n  web:\n    command: [\"gunicorn\", \"app.wsgi\", \"-w\", \"3\"]\n", "gunicorn app.wsgi -w 3", `"3"`, parsers.FormExec},
		{"block", "services:\n  web:\n    command:\n      - gunicorn\n      - app.wsgi\n      - \"-w\"\n      - \"3\"\n", "gunicorn app.wsgi -w 3", `"3"`, parsers.FormYAMLBlock},
		{"folded", "services:\n  web:\n    command: >\n      gunicorn app.wsgi\n      -w 3\n    image: x\n", "gunicorn app.wsgi -w 3", "-w 3", parsers.FormShell},
		{"multi-line plain", "services:\n  web:\n    command: gunicorn app.wsgi\n      -w 3\n    image: x\n", "gunicorn app.wsgi -w 3", "-w 3", parsers.FormShell},
		{"crlf", "services:\r\n  web:\r\n    command: gunicorn app.wsgi -w 3\r\n", "gunicorn app.wsgi -w 3", "-w 3", parsers.FormShell},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := parse(t, c.src)
			a := f.Service("web").Command
			if got := strings.Join(words(t, f, a), " "); got != c.want {
				t.Errorf("words = %q, want %q", got, c.want)
			}
			if a.Form != c.form {
				t.Errorf("form = %v, want %v", a.Form, c.form)
			}
			if !strings.HasSuffix(string(f.Doc.Src[:a.AppendAt]), c.appendAfter) {
				t.Errorf("AppendAt after %q, want after %q", f.Doc.Src[:a.AppendAt], c.appendAfter)
			}
		})
	}
}

func TestServiceFields(t *testing.T) {
	f := parse(t, `services:
  web:
    image: app
    container_name: wingman_web
    environment:
      - WEB_CONCURRENCY=4
      - DEBUG
    deploy:
      replicas: 2
      resources:
        limits:
          cpus: "1.5"
  pgbouncer:
    image: edoburu/pgbouncer
    environment:
      DB_HOST: db
`)
	web := f.Service("web")
	if e, ok := web.Env("WEB_CONCURRENCY"); !ok || e.Value != "4" || f.Doc.Text(e.Span) != "4" {
		t.Errorf("WEB_CONCURRENCY = %+v", e)
	}
	if e, _ := web.Env("DEBUG"); e.HasValue {
		t.Errorf("DEBUG has no value: %+v", e)
	}
	if web.Replicas.Value != "2" || web.CPUs.Value != "1.5" || f.Doc.Text(web.CPUs.Span) != `"1.5"` {
		t.Errorf("deploy = %+v %+v", web.Replicas, web.CPUs)
	}
	if got := web.Hostnames(); len(got) != 2 || got[1] != "wingman_web" {
		t.Errorf("hostnames = %v", got)
	}
	if e, _ := f.Service("pgbouncer").Env("DB_HOST"); e.Value != "db" {
		t.Errorf("DB_HOST = %+v", e)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"services:\n  web:\n    image: [\n", "docker-compose.yml:"},
		{"- a\n- b\n", "docker-compose.yml:1:1: a compose file is a mapping"},
		{"services:\n  web: 3\n", "docker-compose.yml:2:8: service \"web\" must be a mapping"},
		{"services:\n  web:\n    command: {a: b}\n", "docker-compose.yml:3:14: command must be a string or a list"},
		{"services:\n  web:\n    command: gunicorn 'unterminated\n", "docker-compose.yml:3:14: command is not a valid shell"},
	} {
		_, err := Parse(parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(c.src)))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %v, want prefix %q", c.src, err, c.want)
		}
	}
}

func TestAliasBomb(t *testing.T) {
	src := "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
	_, err := Parse(parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(src)))
	_ = err // yaml.v3 decodes nodes without expanding aliases; it must return promptly either way
}

// yaml.v3's parser errors count lines from 0 (and name none on the first);
// its scanner's count from 1. Errors are reported at the 1-based line.
func TestErrorLines(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
	}{
		{"services:\n  web:\n    image: x\n    command: [a, b\n  db:\n    image: y\n", 4},
		{"services:\n  web:\n image: [x\n", 3},
		{"services:\n  web:\n    image: \"x\n", 3},
		{"- a\nb: 1\n", 2},
	} {
		_, err := Parse(parsers.NewDocument("c.yml", parsers.KindCompose, []byte(c.src)))
		var pe *parsers.Error
		if !errors.As(err, &pe) || pe.Pos.Line != c.line {
			t.Errorf("Parse(%q) = %v, want an error on line %d", c.src, err, c.line)
		}
	}
}

// A command in a quoted YAML scalar: each word's span covers the bytes it
// is written with (escapes included), so an edit replaces exactly them;
// before, `\x32` shifted every later span and `--max-requests-jitter 50`
// was edited into `508`.
func TestQuotedCommandSpans(t *testing.T) {
	src := "services:\n  web:\n    image: x\n    command: \"gunicorn\\tapp.wsgi --workers \\x32 --max-requests-jitter 50\"\n" +
		"  w2:\n    image: x\n    command: 'gunicorn --name ''x y'' --workers 2'\n" +
		"  w3:\n    image: x\n    command: \"gunicorn app.wsgi\n      --workers 2\n      --timeout 5\"\n"
	doc := parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(src))
	f, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"web": {"gunicorn", "app.wsgi", "--workers", `\x32`, "--max-requests-jitter", "50"},
		"w2":  {"gunicorn", "--name", "''x y''", "--workers", "2"},
		"w3":  {"gunicorn", "app.wsgi", "--workers", "2", "--timeout", "5"},
	}
	for name, words := range want {
		a := f.Service(name).Command
		if a == nil || len(a.Words) != len(words) {
			t.Fatalf("%s: argv %v", name, a)
		}
		for i, w := range a.Words {
			if got := doc.Text(w.Span); got != words[i] {
				t.Errorf("%s word %d (%q) is written %q, span gives %q", name, i, w.Value, words[i], got)
			}
		}
		if a.Scalar == 0 {
			t.Errorf("%s: the scalar's quote is not recorded", name)
		}
		if got := src[a.AppendAt-1]; got != words[len(words)-1][len(words[len(words)-1])-1] {
			t.Errorf("%s: AppendAt %d is not after the last word", name, a.AppendAt)
		}
	}
}

// decodeQuoted reads quoted scalars as yaml.v3 does, for any content
// yaml.v3 writes in either quote style.
func TestDecodeQuotedMatchesYAML(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []rune("ab -=\"'\\\t\n\r#:,[]{}é€\x00\x7f")
	for i := 0; i < 3000; i++ {
		var sb strings.Builder
		for n := r.Intn(160); n > 0; n-- {
			sb.WriteRune(alphabet[r.Intn(len(alphabet))])
		}
		for _, style := range []yaml.Style{yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle} {
			out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: sb.String(), Style: style})
			if err != nil {
				continue
			}
			var back yaml.Node
			if yaml.Unmarshal(out, &back) != nil || len(back.Content) == 0 {
				continue
			}
			n := back.Content[0]
			if n.Style != yaml.DoubleQuotedStyle && n.Style != yaml.SingleQuotedStyle {
				continue
			}
			doc := parsers.NewDocument("x.yml", parsers.KindCompose, out)
			f := &File{Doc: doc}
			got, _, ok := f.scalarText(n)
			if !ok || got != n.Value {
				t.Fatalf("%q written as %s: decoded %q (ok %v), yaml.v3 reads %q", sb.String(), out, got, ok, n.Value)
			}
		}
	}
}
