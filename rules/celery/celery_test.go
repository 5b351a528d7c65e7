package celery_test

import (
	"testing"

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
