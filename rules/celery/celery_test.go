package celery_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/celery"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestSettingsNamespace(t *testing.T) {
	rulestest.Run(t, celery.SettingsNamespace, "testdata/namespace")
}

func TestPrefetchMultiplier(t *testing.T) {
	rulestest.Run(t, celery.PrefetchMultiplier, "testdata/prefetch")
}

func TestRetryOnStartup(t *testing.T) {
	rulestest.Run(t, celery.RetryOnStartup, "testdata/retry")
}

func TestIgnoreResult(t *testing.T) {
	rulestest.Run(t, celery.IgnoreResult, "testdata/ignore-result")
}

func TestCompression(t *testing.T) {
	rulestest.Run(t, celery.Compression, "testdata/compression")
}
