package capacity_test

import (
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/capacity"
)

const redisSettings = `CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/1",
    },
    "blocking": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://redis:6379/2",
        "OPTIONS": {
            "CONNECTION_POOL_CLASS": "redis.BlockingConnectionPool",
            "CONNECTION_POOL_KWARGS": {"timeout": 3},
        },
    },
    "core": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis:6379/3",
        "OPTIONS": {"pool_class": "redis.connection.BlockingConnectionPool", "max_connections": 80},
    },
}
CELERY_BROKER_URL = "redis://redis:6379/0"
`

func redisStack(t *testing.T, requirements, worker string) *capacity.Model {
	files := map[string]string{
		"docker-compose.yml": `services:
  web:
    image: app
    command: gunicorn app.wsgi -k gevent -w 2 --worker-connections 300
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  worker:
    image: app
    command: ` + worker + `
    deploy:
      replicas: 3
    environment:
      DJANGO_SETTINGS_MODULE: app.settings
  redis:
    image: redis:7
`,
		"app/settings.py": redisSettings,
	}
	if requirements != "" {
		files["requirements.txt"] = requirements
	}
	return capacity.Of(parse(t, files))
}

func redisUse(t *testing.T, u *capacity.Unit, name string) *capacity.RedisUse {
	t.Helper()
	for _, r := range u.Redis {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("%s: no Redis client %s", u.Service, name)
	return nil
}

// TestRedisPyDefaultCap: an unset cap is 100 where redis-py >= 8 is
// proven, unbounded where < 8 is pinned, and unbounded with a message that
// claims neither where the requirements do not show the version.
func TestRedisPyDefaultCap(t *testing.T) {
	for _, c := range []struct {
		req     string
		cap, pp int
		what    string
	}{
		{"redis>=8.0\n", 100, 100, "redis-py 8's default pool cap: 100"},
		{"redis==7.4.0\n", capacity.Unbounded, 300, "before 8.0: no cap"},
		{"django-redis==6.0.0\ncelery[redis]==5.6.0\n", capacity.Unbounded, 300, "the requirements do not show which runs"},
		{"", capacity.Unbounded, 300, "the requirements do not show which runs"},
	} {
		m := redisStack(t, c.req, "celery -A app worker")
		r := redisUse(t, unit(t, m, "web"), "default")
		if r.Cap.N != c.cap || r.PerProcess != c.pp || !strings.Contains(r.Cap.From.What, c.what) || r.Blocking {
			t.Errorf("%q: cap %d (%s), %d per process, blocking %v", c.req, r.Cap.N, r.Cap.From, r.PerProcess, r.Blocking)
		}
	}
}

// TestBlockingPool: CONNECTION_POOL_CLASS (django-redis) and pool_class
// (Django's RedisCache) are read; BlockingConnectionPool's own defaults
// are max_connections 50 and timeout 20 s, on every redis-py.
func TestBlockingPool(t *testing.T) {
	m := redisStack(t, "", "celery -A app worker")
	web := unit(t, m, "web")
	b := redisUse(t, web, "blocking")
	if !b.Blocking || b.Cap.N != 50 || b.PerProcess != 50 || b.Wait.N != 3 || b.WaitText() != "up to 3 s (timeout 3)" {
		t.Errorf("blocking: %s, cap %d, wait %d (%s)", b.Class, b.Cap.N, b.Wait.N, b.WaitText())
	}
	c := redisUse(t, web, "core")
	if !c.Blocking || c.Cap.N != 80 || c.Wait.N != 20 || c.WaitText() != "up to 20 s (the pool's default timeout)" {
		t.Errorf("core: %s, cap %d, wait %d (%s)", c.Class, c.Cap.N, c.Wait.N, c.WaitText())
	}
}

// TestCeleryWorkerOwnConnections: each worker container's consumer holds
// its own connections to the broker beside what its pool's processes hold,
// fewer with --without-gossip / --without-mingle.
func TestCeleryWorkerOwnConnections(t *testing.T) {
	for _, c := range []struct {
		cmd   string
		own   int
		steps string
	}{
		{"celery -A app worker -c 4", 10, "consumer remote control mingle events gossip"},
		{"celery -A app worker -c 4 --without-gossip --without-mingle", 6, "consumer remote control events"},
		{"celery -A app worker -c 4 --without-gossip --without-mingle --without-heartbeat", 4, "consumer remote control"},
	} {
		m := redisStack(t, "redis==5.2.1\n", c.cmd)
		u := unit(t, m, "worker")
		var steps []string
		own := 0
		for _, w := range u.WorkerRedis {
			steps = append(steps, w.Step)
			own += w.N
		}
		if own != c.own || strings.Join(steps, " ") != c.steps || u.WorkerRedisHost != "redis" {
			t.Errorf("%s: %d own (%v) on %q", c.cmd, own, steps, u.WorkerRedisHost)
		}
		b, _ := m.Budget("redis:redis")
		term, ok := b.Term(u)
		// 3 containers x 4 children x (1 per cache x 3 + broker 1) + 3 x own.
		if want := 3*4*4 + 3*c.own; !ok || term.N != want || !strings.Contains(term.Why, "worker's own") || !strings.Contains(term.Text, "3 containers x ") {
			t.Errorf("%s: term %d (%s; %s), want %d", c.cmd, term.N, term.Text, term.Why, want)
		}
		if web := unit(t, m, "web"); len(web.WorkerRedis) != 0 {
			t.Errorf("web has a worker's own connections: %v", web.WorkerRedis)
		}
	}
}
