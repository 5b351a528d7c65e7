package scaling_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/realtools"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/rules/scaling"
)

func TestWebScaling(t *testing.T) {
	rulestest.Run(t, scaling.WebScaling, "testdata/compose-web-replicas")
}

func TestQueueScaling(t *testing.T) {
	rulestest.Run(t, scaling.QueueScaling, "testdata/celery-queue-workers")
}

func TestRedisSPOF(t *testing.T) {
	rulestest.Run(t, scaling.RedisSPOF, "testdata/redis-single-point-of-failure")
}

// The Sentinel services are an unsafe fix, which rulestest does not apply:
// apply it here, compare with its golden, and load the result with
// compose-go.
func TestRedisSPOFUnsafeFix(t *testing.T) {
	dir := "testdata/redis-single-point-of-failure/report"
	s := rulestest.Load(t, dir)
	res := driver.Fix(s, driver.Options{Rules: []*rules.Rule{scaling.RedisSPOF}, Unsafe: true})
	doc := res.Stack.File("docker-compose.yml").Doc
	golden := filepath.Join(dir, "docker-compose.yml.unsafe")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		os.WriteFile(golden, doc.Src, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(doc.Src) {
		t.Errorf("unsafe fix differs from %s:\n%s", golden, edit.Diff("docker-compose.yml", want, doc.Src))
	}
	again := driver.Fix(res.Stack, driver.Options{Rules: []*rules.Rule{scaling.RedisSPOF}, Unsafe: true})
	if len(again.Changed) > 0 {
		t.Errorf("a second unsafe fix changed the file again")
	}
	realtools.Compose(t, "docker-compose.yml", doc.Src)
}
