package capacity_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/stack"
)

// TestMeasuredMatchesValidateCases holds capacity.Measured to the cases
// `make validate-model` runs: every case's deployment files, read by
// headroom as the check reads them, give kinds of units that Measured
// lists, and every kind Measured lists has a case.
func TestMeasuredMatchesValidateCases(t *testing.T) {
	if problems := coverageProblems(t, "../testdata/validate", capacity.Suites, capacity.Measured); len(problems) > 0 {
		t.Errorf("capacity.Measured (capacity/measured.go) and the cases of testdata/validate disagree; update the table with the versions measured:\n%s", lines(problems))
	}
}

// TestMeasuredMismatch shows the check failing on a real mismatch: the
// fixture's pg suite runs daphne, which the table does not list; the table
// lists gunicorn sync under pg, which no case runs; and its celery suite is
// not a suite the table knows.
func TestMeasuredMismatch(t *testing.T) {
	suites := map[string][]capacity.Figure{".": {capacity.Throughput}, "pg": {capacity.PostgresConnections}}
	table := []capacity.Check{
		{Figure: capacity.Throughput, Kind: capacity.KindGunicornSync, Suite: "."},
		{Figure: capacity.PostgresConnections, Kind: capacity.KindGunicornSync, Suite: "pg"},
	}
	got := coverageProblems(t, "testdata/measured", suites, table)
	want := []string{
		`testdata/validate/celery: a suite of cases that capacity.Suites does not list`,
		`testdata/validate/pg/configs/daphne-age600: PostgreSQL connections of daphne measured, but capacity.Measured does not list it`,
		`PostgreSQL connections of gunicorn sync: listed in capacity.Measured under testdata/validate/pg, but no case there runs it`,
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", lines(got), lines(want))
	}
}

func lines(ss []string) string {
	out := ""
	for _, s := range ss {
		out += "  " + s + "\n"
	}
	return out
}

// coverageProblems compares table with the cases under root (a
// testdata/validate folder): each suite's configs/* folder, staged over
// the suite's app as internal/validate stages it, is read by stack.Load
// and capacity.Of, and gives the kinds of the suite's figure it measures.
func coverageProblems(t *testing.T, root string, suites map[string][]capacity.Figure, table []capacity.Check) []string {
	t.Helper()
	var problems []string
	dirs, err := filepath.Glob(filepath.Join(root, "*", "configs"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "configs")); err == nil {
		dirs = append(dirs, filepath.Join(root, "configs"))
	}
	run := map[capacity.Check]bool{}
	for _, dir := range dirs {
		suite, _ := filepath.Rel(root, filepath.Dir(dir))
		shown := filepath.ToSlash(filepath.Join("testdata/validate", suite))
		figs, ok := suites[suite]
		if !ok {
			problems = append(problems, shown+": a suite of cases that capacity.Suites does not list")
			continue
		}
		cases, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil || len(cases) == 0 {
			t.Fatalf("no cases under %s: %v", dir, err)
		}
		for _, c := range cases {
			m := stageModel(t, filepath.Join(root, suite, "app"), c)
			name := shown + "/configs/" + filepath.Base(c)
			for _, fig := range figs {
				kinds := caseKinds(m, fig)
				if len(kinds) == 0 {
					problems = append(problems, fmt.Sprintf("%s: headroom reads no %s in it", name, fig))
				}
				for _, k := range kinds {
					key := capacity.Check{Figure: fig, Kind: k, Suite: suite}
					run[key] = true
					if !listed(table, key) {
						problems = append(problems, fmt.Sprintf("%s: %s of %s measured, but capacity.Measured does not list it", name, fig, k))
					}
				}
			}
		}
	}
	for _, c := range table {
		if !run[capacity.Check{Figure: c.Figure, Kind: c.Kind, Suite: c.Suite}] {
			problems = append(problems, fmt.Sprintf("%s of %s: listed in capacity.Measured under %s, but no case there runs it",
				c.Figure, c.Kind, filepath.ToSlash(filepath.Join("testdata/validate", c.Suite))))
		}
	}
	sort.Strings(problems)
	return problems
}

func listed(table []capacity.Check, key capacity.Check) bool {
	for _, c := range table {
		if c.Figure == key.Figure && c.Kind == key.Kind && c.Suite == key.Suite {
			return true
		}
	}
	return false
}

// stageModel stages the app and the case's files in a scratch folder, as
// internal/validate does, and returns headroom's model of them.
func stageModel(t *testing.T, app, config string) *capacity.Model {
	t.Helper()
	dir := filepath.Join(t.TempDir(), filepath.Base(config))
	for _, from := range []string{app, config} {
		if _, err := os.Stat(from); os.IsNotExist(err) {
			continue
		}
		if err := os.CopyFS(dir, os.DirFS(from)); err != nil {
			t.Fatal(err)
		}
	}
	s, errs := stack.Load([]string{dir}, 0)
	for _, err := range errs {
		t.Fatalf("%s: %v", config, err)
	}
	return capacity.Of(s)
}

// caseKinds are the kinds of the figure in the model, sorted.
func caseKinds(m *capacity.Model, fig capacity.Figure) []string {
	set := map[string]bool{}
	for _, u := range m.Units {
		switch fig {
		case capacity.Throughput:
			if u.Web {
				set[u.ThroughputTrust().Kind] = true
			}
		case capacity.PostgresConnections:
			for _, p := range u.Postgres {
				set[p.Trust(u).Kind] = true
			}
		case capacity.RedisConnections:
			for _, r := range u.Redis {
				set[r.Trust(u).Kind] = true
			}
			if len(u.WorkerRedis) > 0 {
				set[u.WorkerRedisTrust().Kind] = true
			}
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
