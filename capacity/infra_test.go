package capacity_test

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/capacity"
)

// TestDeclaredInfrastructure: on the report's stack, a declared
// max_connections replaces PostgreSQL's assumed default (and leaves the
// list of assumptions), a declared replica count multiplies web's
// connections, and declared cpus and memory become web's limits.
func TestDeclaredInfrastructure(t *testing.T) {
	s := load(t, "../testdata/wingman")
	plain := capacity.Of(s)
	pg, ok := plain.Budget("postgres:host.docker.internal")
	if !ok || pg.Limit != 100 || !pg.Assumed || pg.Used != 107 {
		t.Fatalf("undeclared budget = %+v", pg)
	}
	if !strings.Contains(pg.LimitText(), "declare it: infrastructure.postgres.host.docker.internal.max_connections") {
		t.Errorf("LimitText = %q", pg.LimitText())
	}
	if !hasAssumption(plain, "infrastructure.postgres.host.docker.internal.max_connections") {
		t.Errorf("assumptions %+v miss max_connections", plain.Assumptions())
	}

	in := &capacity.Infrastructure{Path: ".headroom.yaml",
		Postgres: map[string]capacity.PostgresDecl{"host.docker.internal": {MaxConnections: capacity.Declared{Value: 500, Line: 4}}},
		Services: map[string]capacity.ServiceDecl{"web": {
			Replicas: capacity.Declared{Value: 4, Line: 8},
			CPUs:     capacity.Declared{Value: 2, Line: 8},
			Memory:   capacity.Declared{Value: 2 << 30, Line: 8}}}}
	m := capacity.With(s, capacity.Options{Infra: in})
	b, ok := m.Budget("postgres:host.docker.internal")
	if !ok || b.Limit != 500 || b.Assumed || !b.LimitFrom.Declared {
		t.Fatalf("declared budget = %+v", b)
	}
	if got := b.LimitFrom.String(); got != ".headroom.yaml:4 (declared)" {
		t.Errorf("limit source = %q", got)
	}
	// web: 4 replicas x 3 workers = 12, not 3: 107 - 3 + 12.
	if b.Used != 116 {
		t.Errorf("used = %d, want 116 with web's 4 declared replicas", b.Used)
	}
	web := unit(t, m, "web")
	if web.Replicas.N != 4 || !web.Replicas.From.Declared || web.CPUs == nil || web.CPUs.Value != 2 || web.Memory == nil || web.Memory.Value != 2<<30 {
		t.Errorf("web = %d replicas (%s), cpus %+v, memory %+v", web.Replicas.N, web.Replicas.From, web.CPUs, web.Memory)
	}
	if cpus, from, ok := m.DeclaredCPUs("web"); !ok || cpus != 2 || from.Line() != 8 {
		t.Errorf("DeclaredCPUs(web) = %v %v %v", cpus, from, ok)
	}
	if _, _, ok := m.DeclaredCPUs("daphne"); ok {
		t.Error("daphne has no declared cpus")
	}
	if hasAssumption(m, "infrastructure.postgres.host.docker.internal.max_connections") {
		t.Errorf("a declared value is still listed as assumed: %+v", m.Assumptions())
	}
	if !hasAssumption(m, "infrastructure.postgres.host.docker.internal.superuser_reserved_connections") {
		t.Errorf("the undeclared reserved connections are not listed: %+v", m.Assumptions())
	}
	// `default` declares every server no other key names.
	def := capacity.With(s, capacity.Options{Infra: &capacity.Infrastructure{Path: ".headroom.yaml",
		Postgres: map[string]capacity.PostgresDecl{"default": {MaxConnections: capacity.Declared{Value: 200, Line: 3}}}}})
	if b, _ := def.Budget("postgres:host.docker.internal"); b.Limit != 200 || !strings.Contains(b.LimitFrom.What, "infrastructure.postgres.default.max_connections") {
		t.Errorf("default-declared budget = %+v", b)
	}
}

func hasAssumption(m *capacity.Model, key string) bool {
	for _, a := range m.Assumptions() {
		if a.Key == key {
			return true
		}
	}
	return false
}
