package shell

import (
	"reflect"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

// Only the command= values of [program:x] sections are read, at their
// offsets in the file, without an inline comment; programs whose command
// holds a %(...)s expansion, continues on the next line or runs as
// numprocs copies are left out.
func TestParseSupervisordPrograms(t *testing.T) {
	src := "[supervisord]\r\nnodaemon=true\r\ncommand=not-a-program\r\n\r\n" +
		"; comment\r\n[program:web]\r\ncommand = gunicorn --workers 2 app.wsgi ; sync\r\nautostart=true\r\n\r\n" +
		"[program:env]\r\ncommand=gunicorn --workers %(ENV_W)s app.wsgi\r\n\r\n" +
		"[program:long]\r\ncommand=gunicorn\r\n  --workers 3 app.wsgi\r\n\r\n" +
		"[program:copies]\r\nnumprocs = 4\r\ncommand=uvicorn app:app\r\n\r\n" +
		"[program:one]\r\ncommand=uvicorn --workers 2 app:app\r\nnumprocs=1\r\n"
	doc := parsers.NewDocument("supervisord.conf", parsers.KindShell, []byte(src))
	s, err := ParseSupervisord(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, c := range s.Commands {
		var ws []string
		for _, w := range c.Words {
			if string(src[w.Span.Start:w.Span.End]) != w.Value {
				t.Errorf("word %q: span holds %q", w.Value, src[w.Span.Start:w.Span.End])
			}
			ws = append(ws, w.Value)
		}
		if c.Doc != doc {
			t.Errorf("command %v: not pointed at the file", ws)
		}
		got = append(got, ws)
	}
	want := [][]string{{"gunicorn", "--workers", "2", "app.wsgi"}, {"uvicorn", "--workers", "2", "app:app"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("commands = %q, want %q", got, want)
	}
}
