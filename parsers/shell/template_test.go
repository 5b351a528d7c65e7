package shell

import (
	"reflect"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

// A template placeholder is one opaque word, spaces and all, with its
// value as written; the words around it keep their offsets.
func TestPlaceholdersAreOneWord(t *testing.T) {
	src := "exec gunicorn {{ project_name }}.wsgi -w {{ workers|default(4) }} --bind \"{{ host }}:8000\"\n"
	want := []string{"exec", "gunicorn", "{{ project_name }}.wsgi", "-w", "{{ workers|default(4) }}", "--bind", "{{ host }}:8000"}
	cmds, err := Commands(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range cmds[0].Words {
		got = append(got, w.Value)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Commands words = %q, want %q", got, want)
	}
	s, err := ParseScript(parsers.NewDocument("start.sh", parsers.KindShell, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, w := range s.Commands[0].Words {
		got = append(got, w.Value)
		if text := src[w.Span.Start:w.Span.End]; w.Quote == 0 && text != w.Value {
			t.Errorf("word %q spans %q", w.Value, text)
		}
	}
	if !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("ParseScript words = %q, want %q", got, want[1:])
	}
}
