package observability_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/observability"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestMetrics(t *testing.T) {
	rulestest.Run(t, observability.Metrics, "testdata/django-metrics")
}

func TestErrorTracking(t *testing.T) {
	rulestest.Run(t, observability.ErrorTracking, "testdata/error-tracking")
}

func TestAccessLog(t *testing.T) {
	rulestest.Run(t, observability.AccessLog, "testdata/gunicorn-access-log")
}

func TestNginxTiming(t *testing.T) {
	rulestest.Run(t, observability.NginxTiming, "testdata/nginx-timing-log")
}
