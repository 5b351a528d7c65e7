package python

import "testing"

func TestSetupFunctions(t *testing.T) {
	m := parse(t, `import os

def setup_database():
    """Build DATABASES from the environment."""
    global DATABASES
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": os.environ.get("DB_HOST", "db")}}
    DATABASES["default"]["CONN_MAX_AGE"] = 60

def setup_cache():
    global CACHES
    backend = "django_redis.cache.RedisCache"
    CACHES = {"default": {"BACKEND": backend}}

def uncalled():
    global SECRET_KEY
    SECRET_KEY = "x"

def takes(arg):
    global TIME_ZONE
    TIME_ZONE = arg

setup_database()
setup_cache()
takes("UTC")
`)
	age := m.Lookup("DATABASES", "default", "CONN_MAX_AGE")
	if l, _ := age.Value().Effective(); l.Int != 60 || age.Stmt.Indent != "    " {
		t.Errorf("CONN_MAX_AGE = %+v, statement %+v", l, age.Stmt)
	}
	if h := m.Lookup("DATABASES", "default", "HOST"); h == nil || h.Value().Var != "DB_HOST" {
		t.Errorf("HOST = %+v", h)
	}
	// A body with a local name, a function never called and one with
	// parameters bind nothing.
	for _, name := range []string{"CACHES", "SECRET_KEY", "TIME_ZONE", "backend"} {
		if o := m.Lookup(name); o != nil {
			t.Errorf("%s bound: %+v", name, o)
		}
	}
}
