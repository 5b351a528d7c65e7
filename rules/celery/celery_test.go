package celery_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/rules/celery"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestSettingsNamespace(t *testing.T) {
	rulestest.Run(t, celery.SettingsNamespace, "testdata/celery-settings-namespace")
}

func TestPrefetchMultiplier(t *testing.T) {
	rulestest.Run(t, celery.PrefetchMultiplier, "testdata/celery-prefetch-multiplier")
}

func TestRetryOnStartup(t *testing.T) {
	rulestest.Run(t, celery.RetryOnStartup, "testdata/celery-broker-retry-on-startup")
}

func TestIgnoreResult(t *testing.T) {
	rulestest.Run(t, celery.IgnoreResult, "testdata/celery-ignore-result")
}

func TestCompression(t *testing.T) {
	rulestest.Run(t, celery.Compression, "testdata/celery-compression")
}

func TestWorkerConcurrency(t *testing.T) {
	rulestest.Run(t, celery.WorkerConcurrency, "testdata/celery-worker-concurrency")
}

// TestIgnoreResultRealWorld runs HR504 (phase 2, which TestRealWorld does
// not run) on the real-world case whose results are read through an
// AsyncResult(...) status view.
func TestIgnoreResultRealWorld(t *testing.T) {
	rulestest.RunTree(t, []*rules.Rule{celery.IgnoreResult}, "../../testdata/realworld/celery-asyncresult-status-view")
}
