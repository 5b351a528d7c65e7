package nginx

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestUpstreamKeepalive(t *testing.T) {
	rulestest.Run(t, UpstreamKeepalive, "testdata/nginx-upstream-keepalive")
}

func TestGzip(t *testing.T) { rulestest.Run(t, Gzip, "testdata/nginx-gzip") }

func TestProxyBuffering(t *testing.T) {
	rulestest.Run(t, ProxyBuffering, "testdata/nginx-proxy-buffering")
}
