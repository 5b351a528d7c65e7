package nginx

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestKeepaliveOrder(t *testing.T) {
	rulestest.Run(t, KeepaliveOrder, "testdata/keepalive-ordering")
}
func TestTimeoutOrder(t *testing.T) { rulestest.Run(t, TimeoutOrder, "testdata/timeout-ordering") }
func TestPorts(t *testing.T)        { rulestest.Run(t, Ports, "testdata/ports-do-not-meet") }
func TestUploadLimit(t *testing.T)  { rulestest.Run(t, UploadLimit, "testdata/upload-limits") }
func TestProxyHeaders(t *testing.T) { rulestest.Run(t, ProxyHeaders, "testdata/proxy-headers") }

func TestSecondsAndSizes(t *testing.T) {
	for in, want := range map[string]int{"60": 60, "60s": 60, "1m": 60, "1m30s": 90, "500ms": 0, "1h": 3600} {
		if got, ok := seconds(in); !ok || got != want {
			t.Errorf("seconds(%q) = %d, %v", in, got, ok)
		}
	}
	for in, want := range map[string]int64{"1m": 1 << 20, "200M": 200 << 20, "10k": 10 << 10, "4096": 4096, "1g": 1 << 30} {
		if got, ok := bytesize(in); !ok || got != want {
			t.Errorf("bytesize(%q) = %d, %v", in, got, ok)
		}
	}
}
