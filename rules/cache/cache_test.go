package cache_test

import (
	"testing"

	"github.com/headroom-dev/headroom/rules/cache"
	"github.com/headroom-dev/headroom/rules/rulestest"
)

func TestRedisPoolSize(t *testing.T) {
	rulestest.Run(t, cache.RedisPoolSize, "testdata/redis-pool-size")
}

func TestRedisTimeouts(t *testing.T) {
	rulestest.Run(t, cache.RedisTimeouts, "testdata/redis-timeouts")
}
