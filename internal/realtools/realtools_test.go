package realtools

import (
	"fmt"
	"strings"
	"testing"
)

// recorder stands in for the test a check reports to, so a test can see
// that a check rejects a broken file.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// check runs a real-tool check on good and bad input: the first must pass,
// the second must fail with a message holding want.
func check(t *testing.T, run func(testing.TB, []byte), good, bad, want string) {
	t.Helper()
	r := &recorder{TB: t}
	run(r, []byte(good))
	if len(r.errs) > 0 {
		t.Errorf("good input rejected: %v", r.errs)
	}
	r = &recorder{TB: t}
	run(r, []byte(bad))
	if len(r.errs) == 0 || !strings.Contains(r.errs[0], want) {
		t.Errorf("bad input: errors %q, want one holding %q", r.errs, want)
	}
}

func TestNginxTest(t *testing.T) {
	check(t, func(tb testing.TB, src []byte) { NginxTest(tb, "site.conf", src) },
		"upstream app { server web:8000; keepalive 32; }\nserver { location / { proxy_pass http://app; } }\n",
		"server { location / { proxy_pass http://app } }\n",
		"nginx -t rejects site.conf")
}

func TestPyCompile(t *testing.T) {
	check(t, func(tb testing.TB, src []byte) { PyCompile(tb, "settings.py", src) },
		"X = {'a': 1}\n", "X = {'a': 1\n", "settings.py does not compile")
}

func TestDjangoSettings(t *testing.T) {
	run := func(tb testing.TB, src []byte) { DjangoSettings(tb, "app/settings.py", src, nil) }
	good := "import os\nimport dj_database_url\nimport environ\nenv = environ.Env()\n" +
		"DATABASES = {'default': dj_database_url.config(default='postgres://db/app', conn_max_age=60)}\n" +
		"DATABASES['default']['CONN_MAX_AGE'] = env.int('CONN_MAX_AGE', default=60)\n" +
		"DATABASES['default']['OPTIONS'] = {'connect_timeout': 10}\n" +
		"CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': os.environ.get('REDIS_URL', 'redis://r')}}\n"
	check(t, run, good, "DATABASES = {'default': {'ENGINE': 'x', 'CONN_MAX_AGE': '60'}}\n", "CONN_MAX_AGE is '60'")
	check(t, run, good, "DATABASES = {'default': {'OPTIONS': []}}\n", "OPTIONS is not a dict")
	check(t, run, good, "DATABASES = {'default': {'CONN_MAX_AGE': undefined_name}}\n", "NameError")
	// The settings run in the sandbox with an empty environment.
	check(t, run, good, "import os\nDATABASES = {'default': {'NAME': os.environ['HOME']}}\n", "KeyError")
	// A settings module that imports its base from the same package.
	r := &recorder{TB: t}
	DjangoSettings(r, "app/production.py", []byte("from .base import *\nDATABASES['default']['CONN_MAX_AGE'] = 60\n"),
		map[string][]byte{"app/base.py": []byte("DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n")})
	if len(r.errs) > 0 {
		t.Errorf("settings importing a sibling: %v", r.errs)
	}
}

func TestDockerfile(t *testing.T) {
	check(t, func(tb testing.TB, src []byte) { Dockerfile(tb, "Dockerfile", src) },
		"FROM python:3.12\r\nCMD [\"gunicorn\", \"-w\", \"4\", \"app.wsgi\"]\r\n",
		"FROM python:3.12\nCOPY --bogus=1 a b\n", "BuildKit rejects Dockerfile")
	check(t, func(tb testing.TB, src []byte) { Dockerfile(tb, "Dockerfile", src) },
		"\ufeffFROM python:3.12\nCMD gunicorn app.wsgi", "CMD gunicorn\n", "BuildKit rejects Dockerfile")
}

func TestCompose(t *testing.T) {
	check(t, func(tb testing.TB, src []byte) { Compose(tb, "docker-compose.yml", src) },
		"services:\n  web:\n    build: .\n    command: gunicorn -w 4 app.wsgi\n    env_file: .env\n    environment:\n      A: ${A:-1}\n",
		"services:\n  web:\n    image: x\n    commnd: gunicorn\n", "compose-go rejects docker-compose.yml")
}

func TestNginxTreeTest(t *testing.T) {
	snippet := "upstream app { server web:8000; keepalive 32; }\nserver { listen 127.0.0.1:8080; location / { proxy_pass http://app; } }\n"
	tree := func(files map[string]string, hosts ...string) NginxTree {
		out := NginxTree{Files: map[string][]byte{}, Host: "official", Hosts: hosts}
		for p, s := range files {
			out.Files[p] = []byte(s)
		}
		return out
	}
	run := func(before *NginxTree, after NginxTree) []string {
		r := &recorder{TB: t}
		NginxTreeTest(r, "stack", before, after)
		return r.errs
	}
	if errs := run(nil, tree(map[string]string{"/etc/nginx/conf.d/a.conf": snippet}, "web")); len(errs) > 0 {
		t.Errorf("a valid snippet under the official image's nginx.conf: %v", errs)
	}
	// The service name resolves only through the hosts given.
	if errs := run(nil, tree(map[string]string{"/etc/nginx/conf.d/a.conf": snippet})); len(errs) == 0 || !strings.Contains(errs[0], "web") {
		t.Errorf("an unresolvable upstream host passed: %v", errs)
	}
	// Two files of one nginx declaring the same upstream.
	two := tree(map[string]string{"/etc/nginx/conf.d/a.conf": snippet,
		"/etc/nginx/conf.d/b.conf": "upstream app { server web:8000; }\nserver { listen 127.0.0.1:8081; location / { proxy_pass http://app; } }\n"}, "web")
	if errs := run(nil, two); len(errs) == 0 || !strings.Contains(errs[0], "duplicate upstream") {
		t.Errorf("a duplicate upstream across files passed: %v", errs)
	}
	// keepalive before the balancing method: only a warning, which counts
	// unless the config had it before the fix.
	before := tree(map[string]string{"/etc/nginx/conf.d/a.conf": "upstream app { server web:8000; least_conn; }\nserver { listen 127.0.0.1:8080; location / { proxy_pass http://app; } }\n"}, "web")
	after := tree(map[string]string{"/etc/nginx/conf.d/a.conf": "upstream app { server web:8000; keepalive 32; least_conn; }\nserver { listen 127.0.0.1:8080; location / { proxy_pass http://app; } }\n"}, "web")
	if errs := run(&before, after); len(errs) == 0 || !strings.Contains(errs[0], "load balancing method redefined") {
		t.Errorf("a misplaced keepalive passed: %v", errs)
	}
	if errs := run(&after, after); len(errs) > 0 {
		t.Errorf("a warning the config had before the fix counted: %v", errs)
	}
	// Debian's nginx.conf logs at http level and includes sites-enabled.
	deb := tree(map[string]string{"/etc/nginx/sites-enabled/app": snippet}, "web")
	deb.Host = "debian"
	if errs := run(nil, deb); len(errs) > 0 {
		t.Errorf("a Debian site: %v", errs)
	}
}

// Where no mount namespace is to be had, the check copies the files with
// /etc/nginx/ and the upstream hosts pointed at the copy and 127.0.0.1: it
// still loads every file together.
func TestNginxTreeTestWithoutNamespaces(t *testing.T) {
	noNamespaces = true
	defer func() { noNamespaces = false }()
	snippet := "upstream app { server web:8000; keepalive 32; }\nserver { listen 127.0.0.1:8080; location / { proxy_pass http://app; } }\n"
	r := &recorder{TB: t}
	NginxTreeTest(r, "stack", nil, NginxTree{Files: map[string][]byte{"/etc/nginx/conf.d/a.conf": []byte(snippet)}, Host: "official"})
	if len(r.errs) > 0 {
		t.Errorf("a valid snippet: %v", r.errs)
	}
	r = &recorder{TB: t}
	NginxTreeTest(r, "stack", nil, NginxTree{Files: map[string][]byte{
		"/etc/nginx/conf.d/a.conf": []byte(snippet),
		"/etc/nginx/conf.d/b.conf": []byte("upstream app { server web:8000; }\n"),
	}, Host: "official"})
	if len(r.errs) == 0 || !strings.Contains(r.errs[0], "duplicate upstream") {
		t.Errorf("a duplicate upstream across files passed: %v", r.errs)
	}
}
