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
	check("infrastructure", "infrastructure: {postgres: {db.example.com: {max_connections: 500, superuser_reserved_connections: 5}}, redis: {default: {maxclients: 20000}}, services: {web: {replicas: 4, cpus: 1.5, memory: 2GiB}}}\n", true)
	check("infrastructure misspelt", "infrastructure: {postgres: {db: {max_connection: 500}}}\n", false)
	check("infrastructure negative", "infrastructure: {services: {web: {replicas: -1}}}\n", false)
	check("report misspelt", "report: {request: 100}\n", false)
	check("misspelt", "targets: {worker: 4}\n", false)
	check("html", "targets: {gzip_types: [text/html]}\n", false)
}

// TestInfrastructureKeys keeps every key of infrastructure: in step
// across the parser, headroom.schema.json and `headroom init`'s
// template: the keys are the ones the parser's errors list as known.
func TestInfrastructureKeys(t *testing.T) {
	known := func(src string) []string {
		_, err := Parse(".headroom.yaml", []byte(src))
		if err == nil {
			t.Fatalf("%q: no error", src)
		}
		_, list, ok := strings.Cut(err.Error(), "(known: ")
		if !ok {
			t.Fatalf("%q: %v names no known keys", src, err)
		}
		return strings.Split(strings.TrimSuffix(list, ")"), ", ")
	}
	var schema struct {
		Properties map[string]struct {
			Properties map[string]struct {
				AdditionalProperties struct {
					Properties map[string]any
				}
			}
		}
	}
	js, err := os.ReadFile("../headroom.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &schema); err != nil {
		t.Fatal(err)
	}
	kinds := known("infrastructure: {mysql: {}}\n")
	if len(kinds) != 3 {
		t.Errorf("kinds = %v", kinds)
	}
	for _, kind := range kinds {
		sk, ok := schema.Properties["infrastructure"].Properties[kind]
		if !ok {
			t.Errorf("headroom.schema.json has no infrastructure.%s", kind)
		}
		if !strings.Contains(Template, "#   "+kind+":") {
			t.Errorf("the init template shows no infrastructure.%s", kind)
		}
		for _, field := range known("infrastructure: {" + kind + ": {x: {nope: 1}}}\n") {
			if _, ok := sk.AdditionalProperties.Properties[field]; !ok {
				t.Errorf("headroom.schema.json has no infrastructure.%s.*.%s", kind, field)
			}
			if !strings.Contains(Template, field+":") {
				t.Errorf("the init template shows no infrastructure.%s.*.%s", kind, field)
			}
		}
	}
	// The template's example, uncommented, is a valid file.
	var example []string
	on := false
	for _, line := range strings.Split(Template, "\n") {
		on = on || line == "# infrastructure:"
		if on {
			example = append(example, strings.TrimPrefix(line, "# "))
		}
	}
	c, err := Parse(".headroom.yaml", []byte(strings.Join(example, "\n")))
	if err != nil {
		t.Fatalf("the template's infrastructure example: %v", err)
	}
	in := c.Targets.Infrastructure
	if d := in.Postgres["host.docker.internal"]; d.MaxConnections.Value != 500 || d.MaxConnections.Line != 4 || d.Reserved.Value != 3 {
		t.Errorf("postgres = %+v", in.Postgres)
	}
	if w := in.Services["web"]; w.Replicas.Value != 4 || w.CPUs.Value != 2 || w.Memory.Value != 2<<30 {
		t.Errorf("services = %+v", in.Services)
	}
}

// TestInfrastructureErrors names the file's line and the key for a bad
// declared value.
func TestInfrastructureErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"infrastructure:\n  postgres:\n    db: {max_connections: -5}\n", `.headroom.yaml:3:27: infrastructure.postgres.db.max_connections must be a whole number of at least 1 (got "-5")`},
		{"infrastructure:\n  postgres:\n    db:\n      max_connections: lots\n", `.headroom.yaml:4:24: infrastructure.postgres.db.max_connections must be a whole number`},
		{"infrastructure:\n  mysql: {}\n", `.headroom.yaml:2:3: unknown key "mysql" in infrastructure (known: postgres, redis, services)`},
		{"infrastructure:\n  redis:\n    default: {maxclients: 0}\n", `.headroom.yaml:3:27: infrastructure.redis.default.maxclients must be a whole number of at least 1`},
		{"infrastructure:\n  services:\n    web: {cpus: -1}\n", `.headroom.yaml:3:17: infrastructure.services.web.cpus must be a number of CPUs above 0`},
		{"infrastructure:\n  services:\n    web: {memory: lots}\n", `.headroom.yaml:3:19: infrastructure.services.web.memory must be a size above 0`},
		{"infrastructure:\n  postgres:\n    db: {max_connections: 10, superuser_reserved_connections: 10}\n", `.headroom.yaml:3:9: infrastructure.postgres.db: superuser_reserved_connections (10) must be less than max_connections (10)`},
	} {
		_, err := Parse(".headroom.yaml", []byte(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want %q", c.src, err, c.want)
		}
	}
}

// TestReportAssumptions reads report: and refuses a database or CPU time
// longer than the request it is part of.
func TestReportAssumptions(t *testing.T) {
	c, err := Parse(".headroom.yaml", []byte("report: {request_ms: 250, db_ms: 80}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a := c.Report.Assumptions(); a.RequestMS != 250 || a.DBMS != 80 || a.CPUMS != 10 || !a.CPUAssumed {
		t.Errorf("Report = %+v, want cpu_ms 10 assumed where report: does not set it", a)
	}
	if a := Default().Report.Assumptions(); a.RequestMS != 100 || a.DBMS != 30 || a.CPUMS != 10 || !a.CPUAssumed {
		t.Errorf("default assumptions = %+v, want request_ms 100, db_ms 30, cpu_ms 10 (assumed) as the README says", a)
	}
	// cpu_ms: 0 is given, not assumed: the CPU is not judged.
	if c, _ := Parse(".headroom.yaml", []byte("report: {cpu_ms: 0}\n")); c == nil || c.Report.Assumptions().CPUMS != 0 || c.Report.Assumptions().CPUAssumed {
		t.Errorf("cpu_ms: 0 is not kept as given")
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
