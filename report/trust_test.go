package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/capacity"
)

// TestTrustMarks: each figure says whether make validate-model measures
// its kind (capacity.Measured) in Markdown, HTML and JSON alike: a gunicorn
// sync service's throughput and PostgreSQL connections are measured at the
// versions the table names; Django's own pool is not measured (Django 3.2
// here); a celery prefork worker's connections are measured, its tasks in
// flight are not; PgBouncer is measured and says where the model
// disagrees.
func TestTrustMarks(t *testing.T) {
	s := stackOf(t, map[string]string{
		"docker-compose.yml": `services:
  web:
    build: .
    command: gunicorn app.wsgi -w 2
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  pooled:
    build: .
    command: gunicorn app.wsgi -w 2
    environment:
      DJANGO_SETTINGS_MODULE: app.pooled
  worker:
    build: .
    command: celery -A app worker --concurrency=4
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
`,
		"app/settings.py": settings,
		"app/pooled.py": `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db",
    "OPTIONS": {"pool": {"min_size": 2, "max_size": 6}}}}
`,
	})
	r := build(t, s, DefaultAssumptions())
	byName := map[string]*Service{}
	for _, svc := range r.Deployments[0].Services {
		byName[svc.Name] = svc
	}
	web, pooled, worker := byName["web"], byName["pooled"], byName["worker"]
	if web == nil || pooled == nil || worker == nil {
		t.Fatalf("services: %v", byName)
	}
	pgWeb := capacity.TrustOf(capacity.PostgresConnections, capacity.KindGunicornSync)
	switch {
	case web.ModelCheck == nil || !web.ModelCheck.Measured || web.ModelCheck.Text != "measured: gunicorn 20.1, Django 3.2":
		t.Errorf("gunicorn sync throughput: %+v", web.ModelCheck)
	case len(web.Connections) != 1 || web.Connections[0].ModelCheck != pgWeb || !strings.Contains(pgWeb.Text, "PostgreSQL 15"):
		t.Errorf("gunicorn sync PostgreSQL connections: %+v, want %+v", web.Connections, pgWeb)
	case len(pooled.Connections) != 1 || pooled.Connections[0].ModelCheck.Text != "not measured, Django 3.2 here" || pooled.Connections[0].ModelCheck.Kind != capacity.KindDjangoPool:
		t.Errorf("Django's own pool: %+v", pooled.Connections)
	case worker.ModelCheck == nil || worker.ModelCheck.Measured || worker.ModelCheck.Text != "not measured" || worker.ModelCheck.Kind != capacity.KindCeleryPrefork:
		t.Errorf("celery prefork: %+v", worker.ModelCheck)
	}
	if b := capacity.TrustOf(capacity.PostgresConnections, capacity.KindPgBouncer); !b.Measured || b.Disagrees != "" || !strings.Contains(b.Text, "PgBouncer 1.18") {
		t.Errorf("PgBouncer: %+v", b)
	}
	var md, page, js bytes.Buffer
	for _, err := range []error{Markdown(&md, r), HTML(&page, r), JSON(&js, r)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{
		"| `web` | gunicorn sync | measured: gunicorn 20.1, Django 3.2 | " + pgWeb.Text + " (default) | - |",
		"| `pooled` | gunicorn sync | measured: gunicorn 20.1, Django 3.2 | **not measured, Django 3.2 here** (default, Django's own pool) | - |",
		"| `worker` | celery prefork | **not measured** | measured: Celery 5.2, Django 3.2, psycopg2 2.9, PostgreSQL 15 (default) |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md.String())
		}
	}
	if !strings.Contains(page.String(), "<td><strong>not measured, Django 3.2 here</strong> (default, Django&#39;s own pool)</td>") {
		t.Errorf("HTML lacks the pool's mark:\n%s", page.String())
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Deployments[0].Services[1].Connections[0].ModelCheck; got.Measured || got.Figure != capacity.PostgresConnections || got.Text != "not measured, Django 3.2 here" {
		t.Errorf("JSON model_check of the pool: %+v", got)
	}
}
