package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/internal/schematest"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all"
)

func TestTemplateIsDefault(t *testing.T) {
	c, err := Parse(".headroom.yaml", []byte(Template))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Targets, rules.DefaultTargets()) {
		t.Errorf("template targets %+v differ from the defaults %+v", c.Targets, rules.DefaultTargets())
	}
	if !reflect.DeepEqual(c.Report, Default().Report) {
		t.Errorf("template report %+v differs from the defaults %+v", c.Report, Default().Report)
	}
}

func TestParse(t *testing.T) {
	c, err := Parse("/repo/.headroom.yaml", []byte(`
select: [HR1, nginx-gzip]
ignore: HR403
per-path:
  - paths: ["legacy/**", "*.dockerfile"]
    ignore: [HR101]
severity:
  nginx-gzip: error
targets:
  workers: auto
  conn_max_age: 300
  gzip_types: [application/json]
`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Targets.WorkersAuto || c.Targets.ConnMaxAge != 300 || c.Targets.Workers != 8 || len(c.Targets.GzipTypes) != 1 {
		t.Errorf("targets = %+v", c.Targets)
	}
	if c.Severity["HR402"] != rules.Error {
		t.Errorf("severity = %v", c.Severity)
	}
	hr101, _ := rules.Lookup("HR101")
	hr102, _ := rules.Lookup("HR102")
	for path, want := range map[string]bool{"/repo/legacy/a/Dockerfile": true, "/repo/web.dockerfile": true, "/repo/Dockerfile": false, "/repo/x/web.dockerfile": false} {
		if got := c.Ignored(path, hr101); got != want {
			t.Errorf("Ignored(%s, HR101) = %v, want %v", path, got, want)
		}
	}
	if c.Ignored("/repo/legacy/Dockerfile", hr102) {
		t.Error("per-path ignore leaked to HR102")
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"selct: [HR1]\n", `.headroom.yaml:1:1: unknown key "selct" in the top level`},
		{"targets:\n  wrokers: 4\n", `.headroom.yaml:2:3: unknown key "wrokers" in targets`},
		{"targets:\n  workers: many\n", `.headroom.yaml:2:12: must be a whole number of at least 1 (got "many")`},
		{"select: [HR999]\n", `.headroom.yaml:1:9: unknown rule "HR999"`},
		{"severity:\n  HR101: fatal\n", `.headroom.yaml:2:10: severity of HR101 must be error, warning or info`},
		{"per-path:\n  - paths: [x]\n", `.headroom.yaml:2:5: a per-path entry needs both paths and ignore`},
		{"targets:\n  gzip_types: [text/html]\n", `.headroom.yaml:2:15: gzip_types: text/html is always compressed`},
		{"select: [\n", `.headroom.yaml:2:1: invalid YAML`},
		{"- a\n", `.headroom.yaml:1:1: the top level must be a mapping`},
	} {
		_, err := Parse(".headroom.yaml", []byte(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want %q", c.src, err, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	os.MkdirAll(deep, 0o755)
	if Find(deep) != "" {
		t.Fatal("found a config where there is none")
	}
	os.WriteFile(filepath.Join(root, "a", ".headroom.yml"), []byte("{}\n"), 0o644)
	if got := Find(deep); got != filepath.Join(root, "a", ".headroom.yml") {
		t.Errorf("Find = %q", got)
	}
}

// TestSchema keeps headroom.schema.json in step with the parser: the
// template and a full file validate, a misspelt key does not.
func TestSchema(t *testing.T) {
	schema := schematest.Compile(t, "../headroom.schema.json")
	check := func(name, src string, valid bool) {
		var v any
		if err := yaml.Unmarshal([]byte(src), &v); err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(v)
		err := schema.Validate(t, js)
		if (err == nil) != valid {
			t.Errorf("%s: schema validation = %v, want valid=%v", name, err, valid)
		}
		if _, perr := Parse(".headroom.yaml", []byte(src)); (perr == nil) != valid {
			t.Errorf("%s: parser says %v, schema says valid=%v", name, perr, valid)
		}
	}
	check("template", Template, true)
	check("full", "select: [HR1]\nignore: [HR403]\nper-path: [{paths: [a/**], ignore: [HR101]}]\nseverity: {HR402: error}\ntargets: {workers: auto, max_requests: 500, max_requests_jitter: 25, timeout: 30, conn_max_age: 60, redis_max_connections: 50, redis_socket_timeout: 3, upstream_keepalive: 16, gzip_types: [text/css], gzip_min_length: 256}\nreport: {request_ms: 250, db_ms: 80, cpu_ms: 0}\n", true)
	check("report misspelt", "report: {request: 100}\n", false)
	check("misspelt", "targets: {worker: 4}\n", false)
	check("html", "targets: {gzip_types: [text/html]}\n", false)
}

// TestReportAssumptions reads report: and refuses a database or CPU time
// longer than the request it is part of.
func TestReportAssumptions(t *testing.T) {
	c, err := Parse(".headroom.yaml", []byte("report: {request_ms: 250, db_ms: 80}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a := c.Report.Assumptions(); a.RequestMS != 250 || a.DBMS != 80 || a.CPUMS != 0 {
		t.Errorf("Report = %+v", a)
	}
	if a := Default().Report.Assumptions(); a.RequestMS != 100 || a.DBMS != 30 {
		t.Errorf("default assumptions = %+v, want request_ms 100, db_ms 30 as the README says", a)
	}
	if c, _ := Parse(".headroom.yaml", []byte("report: {request_ms: 20}\n")); c == nil || c.Report.Assumptions().DBMS != 6 {
		t.Errorf("db_ms does not follow request_ms where it is not set")
	}
	for _, src := range []string{"report: {request_ms: 50, db_ms: 80}\n", "report: {cpu_ms: 500}\n", "report: {request_ms: 0}\n", "report: {db_ms: -1}\n"} {
		if _, err := Parse(".headroom.yaml", []byte(src)); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}
