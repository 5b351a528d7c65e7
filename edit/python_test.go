package edit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
)

func pyModule(t *testing.T, src string) *python.Module {
	t.Helper()
	m, err := python.Parse(parsers.NewDocument("settings.py", parsers.KindPython, []byte(src)))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	return m
}

// pySet applies PythonSet and checks the result still parses (and, where
// python3 is installed, compiles).
func pySet(t *testing.T, src string, path []string, entries ...PyEntry) string {
	t.Helper()
	m := pyModule(t, src)
	edits, err := PythonSet(m, path, entries...)
	if err != nil {
		t.Fatalf("PythonSet: %v", err)
	}
	out, err := Apply([]byte(src), edits)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	pyModule(t, string(out))
	pyCompile(t, out)
	return string(out)
}

func pyCompile(t *testing.T, src []byte) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		return
	}
	f := filepath.Join(t.TempDir(), "settings.py")
	if err := os.WriteFile(f, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(py, "-m", "py_compile", f).CombinedOutput(); err != nil {
		t.Errorf("py_compile: %v\n%s\n%s", err, out, src)
	}
}

func check(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPythonSetReplacesInPlace(t *testing.T) {
	src := "DATABASES = {\n    'default': {\n        'CONN_MAX_AGE': 0,  # was 0\n    },\n}\n"
	check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600"))),
		"DATABASES = {\n    'default': {\n        'CONN_MAX_AGE': 600,  # was 0\n    },\n}\n")

	src = "DATABASES = {'default': {}}\nDATABASES['default']['CONN_MAX_AGE'] = 0\n"
	check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600"))),
		"DATABASES = {'default': {}}\nDATABASES['default']['CONN_MAX_AGE'] = 600\n")
}

func TestPythonSetEnvDefault(t *testing.T) {
	cases := []struct{ in, want string }{
		{`env.int("CONN_MAX_AGE", default=0)`, `env.int("CONN_MAX_AGE", default=600)`},
		{`int(os.environ.get("CONN_MAX_AGE", "0"))`, `int(os.environ.get("CONN_MAX_AGE", "600"))`},
		{`int(os.getenv('CONN_MAX_AGE', '0'))`, `int(os.getenv('CONN_MAX_AGE', '600'))`},
		{`config("CONN_MAX_AGE", default=0, cast=int)`, `config("CONN_MAX_AGE", default=600, cast=int)`},
		{`int(os.environ.get("CONN_MAX_AGE"))`, `int(os.environ.get("CONN_MAX_AGE", "600"))`},
		{`os.environ.get("CONN_MAX_AGE")`, `os.environ.get("CONN_MAX_AGE", 600)`},
		{`env.int("CONN_MAX_AGE")`, `env.int("CONN_MAX_AGE", default=600)`},
	}
	for _, c := range cases {
		src := "import os\nDATABASES = {\"default\": {\"CONN_MAX_AGE\": " + c.in + "}}\n"
		want := "import os\nDATABASES = {\"default\": {\"CONN_MAX_AGE\": " + c.want + "}}\n"
		check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600"))), want)
	}
}

func TestPythonSetRefusesComputedValues(t *testing.T) {
	m := pyModule(t, "AGE = 5\nDATABASES = {'default': {'CONN_MAX_AGE': AGE}}\nX = {'a': os.environ['A']}\n")
	if _, err := PythonSet(m, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600"))); err == nil {
		t.Error("replaced a computed value")
	}
	if _, err := PythonSet(m, []string{"X"}, PyKV("a", PySrc("1"))); err == nil {
		t.Error("replaced a required environment read")
	}
	if _, err := PythonSet(m, []string{"NOPE"}, PyKV("a", PySrc("1"))); err == nil {
		t.Error("set a key of an unknown name")
	}
}

func TestPythonInsertMultiline(t *testing.T) {
	// Trailing commas, single quotes, comment on the last line.
	src := "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'CONN_MAX_AGE': 0,  # keep\n    },\n}\n"
	check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_HEALTH_CHECKS", PySrc("True"))),
		"DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'CONN_MAX_AGE': 0,  # keep\n        'CONN_HEALTH_CHECKS': True,\n    },\n}\n")

	// No trailing comma habit, comment after the last value: the comma goes
	// before the comment, the new keys after it, the last without comma.
	src = "CACHES = {\n\t\"default\": {\n\t\t\"BACKEND\": \"django_redis.cache.RedisCache\",\n\t\t\"OPTIONS\": {\n\t\t\t\"A\": 1  # note\n\t\t}\n\t}\n}\n"
	check(t, pySet(t, src, []string{"CACHES", "default", "OPTIONS"}, PyKV("SOCKET_CONNECT_TIMEOUT", PySrc("5")), PyKV("SOCKET_TIMEOUT", PySrc("5"))),
		"CACHES = {\n\t\"default\": {\n\t\t\"BACKEND\": \"django_redis.cache.RedisCache\",\n\t\t\"OPTIONS\": {\n\t\t\t\"A\": 1,  # note\n\t\t\t\"SOCKET_CONNECT_TIMEOUT\": 5,\n\t\t\t\"SOCKET_TIMEOUT\": 5\n\t\t}\n\t}\n}\n")

	// A missing dict on the path is created, laid out like its siblings.
	src = "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n    }\n}\n"
	check(t, pySet(t, src, []string{"DATABASES", "default", "OPTIONS"}, PyKV("pool", PySrc("True"))),
		"DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        \"OPTIONS\": {\n            \"pool\": True,\n        },\n    }\n}\n")

	// Hanging layout: new key aligned under the last one, before the brace.
	src = "X = {'a': 1,\n     'b': 2}\n"
	check(t, pySet(t, src, []string{"X"}, PyKV("c", PySrc("3"))), "X = {'a': 1,\n     'b': 2,\n     'c': 3}\n")

	// Empty multi-line dict.
	src = "X = {\n}\n"
	check(t, pySet(t, src, []string{"X"}, PyKV("c", PySrc("3"))), "X = {\n    \"c\": 3,\n}\n")
}

func TestPythonInsertOneLine(t *testing.T) {
	check(t, pySet(t, "X = {'a': 1}\n", []string{"X"}, PyKV("b", PySrc("2")), PyKV("c", PySrc("3"))), "X = {'a': 1, 'b': 2, 'c': 3}\n")
	check(t, pySet(t, "X = {'a': 1,}\n", []string{"X"}, PyKV("b", PySrc("2"))), "X = {'a': 1, 'b': 2,}\n")
	check(t, pySet(t, "X = {}\n", []string{"X"}, PyKV("b", PySrc("2"))), "X = {\"b\": 2}\n")
	check(t, pySet(t, "X = {'d': {'a': 1}}\n", []string{"X", "d", "OPTIONS"}, PyKV("pool", PySrc("True"))), "X = {'d': {'a': 1, 'OPTIONS': {'pool': True}}}\n")
}

func TestPythonInsertCRLF(t *testing.T) {
	src := "X = {\r\n    'a': 1,\r\n}\r\n"
	check(t, pySet(t, src, []string{"X"}, PyKV("b", PySrc("2"))), "X = {\r\n    'a': 1,\r\n    'b': 2,\r\n}\r\n")
}

func TestPythonInsertSubscriptForm(t *testing.T) {
	// The author sets OPTIONS keys by subscript: new keys follow the last.
	src := "DATABASES = {'default': {'OPTIONS': {}}}\nDATABASES['default']['OPTIONS']['keepalives'] = 1\nDEBUG = False\n"
	check(t, pySet(t, src, []string{"DATABASES", "default", "OPTIONS"}, PyKV("connect_timeout", PySrc("10")), PyKV("keepalives_idle", PySrc("30"))),
		"DATABASES = {'default': {'OPTIONS': {}}}\nDATABASES['default']['OPTIONS']['keepalives'] = 1\nDATABASES['default']['OPTIONS']['connect_timeout'] = 10\nDATABASES['default']['OPTIONS']['keepalives_idle'] = 30\nDEBUG = False\n")

	// The container comes from a call headroom cannot see into: a subscript
	// line after the assignment, even at the end of a file without newline.
	src = "import environ\nenv = environ.Env()\nDATABASES = {\"default\": env.db()}"
	check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600"))),
		"import environ\nenv = environ.Env()\nDATABASES = {\"default\": env.db()}\nDATABASES[\"default\"][\"CONN_MAX_AGE\"] = 600") // and still none

	// ...but never a new OPTIONS dict that could drop what the call sets.
	m := pyModule(t, src)
	if _, err := PythonSet(m, []string{"DATABASES", "default", "OPTIONS"}, PyKV("pool", PySrc("True"))); err == nil {
		t.Error("replaced OPTIONS of an opaque call")
	}
}

func TestPythonInsertDjDatabaseURL(t *testing.T) {
	src := "import dj_database_url\nDATABASES = {\"default\": dj_database_url.config(default=\"postgres://db/app\")}\n"
	check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600")), PyKV("CONN_HEALTH_CHECKS", PySrc("True"))),
		"import dj_database_url\nDATABASES = {\"default\": dj_database_url.config(default=\"postgres://db/app\", conn_max_age=600, conn_health_checks=True)}\n")

	src = "import dj_database_url\nDATABASES = {\n    \"default\": dj_database_url.config(\n        default=\"postgres://db/app\",\n        conn_max_age=0,\n    ),\n}\n"
	check(t, pySet(t, src, []string{"DATABASES", "default"}, PyKV("CONN_MAX_AGE", PySrc("600")), PyKV("CONN_HEALTH_CHECKS", PySrc("True"))),
		"import dj_database_url\nDATABASES = {\n    \"default\": dj_database_url.config(\n        default=\"postgres://db/app\",\n        conn_max_age=600,\n        conn_health_checks=True,\n    ),\n}\n")
}

func TestPythonInsertArgOneLine(t *testing.T) {
	m := pyModule(t, "X = f()\nY = g(1,)\n")
	doc := m.Doc
	e := PythonInsertArg(doc, m.Lookup("X").Expr.Call, "a", "1")
	out, _ := Apply(doc.Src, []TextEdit{e})
	check(t, string(out), "X = f(a=1)\nY = g(1,)\n")
	e = PythonInsertArg(doc, m.Lookup("Y").Expr.Call, "", "2")
	out, _ = Apply(doc.Src, []TextEdit{e})
	check(t, string(out), "X = f()\nY = g(1, 2,)\n")
}

func TestPythonRenderNestedNoTrailingComma(t *testing.T) {
	src := "X = {\n    'a': 1\n}\n"
	got := pySet(t, src, []string{"X"}, PyKV("o", PyDict(PyKV("p", PySrc("True")), PyKV("q", PySrc("1")))))
	check(t, got, "X = {\n    'a': 1,\n    'o': {\n        'p': True,\n        'q': 1\n    }\n}\n")
	if strings.Count(got, ",") != 2 {
		t.Errorf("commas: %s", got)
	}
}
