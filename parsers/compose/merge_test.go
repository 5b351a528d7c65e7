package compose

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

// Values that come from an anchor are read through aliases and merge keys,
// and their spans are the anchor's definition, where an edit must go.
func TestAnchorsAndMergeKeys(t *testing.T) {
	src := `x-django: &django
  build: .
  command: &cmd gunicorn config.wsgi -w 2
  environment: &env
    DJANGO_SETTINGS_MODULE: config.settings.production
    WEB_CONCURRENCY: "2"
x-extra: &extra
  environment:
    A: "1"
services:
  web:
    <<: [*django, *extra]
    environment:
      <<: *env
      WEB_CONCURRENCY: "4"
  worker:
    <<: *django
    command: celery -A config worker -c 2
  x-not-a-service:
    foo: bar
`
	f, err := Parse(parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Services) != 2 {
		t.Fatalf("services: %d", len(f.Services))
	}
	web := f.Service("web")
	if web.Command == nil || web.Command.Words[0].Value != "gunicorn" {
		t.Fatalf("web command: %+v", web.Command)
	}
	if got := f.Doc.Text(web.Command.Words[0].Span); got != "gunicorn" {
		t.Errorf("anchored command word span: %q", got)
	}
	if e, ok := web.Env("WEB_CONCURRENCY"); !ok || e.Value != "4" {
		t.Errorf("own key must override the merged one: %+v", e)
	}
	if e, ok := web.Env("DJANGO_SETTINGS_MODULE"); !ok || e.Value != "config.settings.production" || f.Doc.Text(e.Span) != "config.settings.production" {
		t.Errorf("merged env: %+v", e)
	}
	if web.BuildDockerfile != "Dockerfile" {
		t.Errorf("build through merge: %q", web.BuildDockerfile)
	}
	w := f.Service("worker")
	if w.Command.Words[0].Value != "celery" {
		t.Errorf("worker command: %+v", w.Command)
	}
	if e, ok := w.Env("WEB_CONCURRENCY"); !ok || f.Doc.Text(e.Span) != `"2"` {
		t.Errorf("worker env from the anchor: %+v", e)
	}
}
