package throttle_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/rulestest"
	"github.com/headroom-dev/headroom/rules/throttle"
)

func TestTiers(t *testing.T) {
	rulestest.Run(t, throttle.Tiers, "testdata/drf-throttle-tiers")
}
