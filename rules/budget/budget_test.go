package budget

import (
	"regexp"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestDBConnections(t *testing.T) {
	rulestest.Run(t, DBConnections, "testdata/db-connection-budget")
}
func TestRedisConnections(t *testing.T) {
	rulestest.Run(t, RedisConnections, "testdata/redis-connection-budget")
}
func TestGreenPersistent(t *testing.T) {
	rulestest.Run(t, GreenPersistent, "testdata/persistent-conns-green-pool")
}
func TestThrottleCache(t *testing.T) { rulestest.Run(t, ThrottleCache, "testdata/drf-throttle-cache") }

// On the report's own stack the connection budget is exceeded, and the
// message shows the sum term by term.
func TestWingmanBudget(t *testing.T) {
	s := rulestest.Load(t, "../../testdata/wingman")
	ds := driver.Run(s, []*rules.Rule{DBConnections})
	if len(ds) != 1 {
		t.Fatalf("want one HR901 finding on testdata/wingman, got %d", len(ds))
	}
	want := regexp.MustCompile(`web 3 workers \+ daphne 1 process \+ celery_ai 100 greenlets \+ celery_heavy 2 processes \+ celery_beat 1 process = at least 107`)
	if !want.MatchString(ds[0].Message) || !strings.Contains(ds[0].Message, "97") {
		t.Errorf("message lacks the arithmetic: %s", ds[0].Message)
	}
	files := map[string]bool{}
	for _, r := range ds[0].Related {
		files[r.Doc.Path] = true
	}
	if !files["Dockerfile"] || !files["docker-compose.yml"] {
		t.Errorf("related locations miss the Dockerfile or the compose file: %v", files)
	}
}

func TestDocs(t *testing.T) {
	for _, r := range []*rules.Rule{DBConnections, RedisConnections, GreenPersistent, ThrottleCache} {
		d := r.Doc
		if d.Impact == "" || d.Fix == "" || d.Bad == "" || d.Good == "" || d.Since == "" {
			t.Errorf("%s: incomplete docs", r)
		}
	}
	if !strings.Contains(GreenPersistent.Doc.Why, "HR201") {
		t.Error("HR903 must say it defers to HR201 under ASGI")
	}
}
