package python

import (
	"errors"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func parse(t *testing.T, src string) *Module {
	t.Helper()
	m, err := Parse(parsers.NewDocument("settings.py", parsers.KindPython, []byte(src)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func text(m *Module, s parsers.Span) string { return m.Doc.Text(s) }

const settings = `import os
import environ

env = environ.Env()

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'HOST': os.environ.get('DB_HOST', 'db'),
        'CONN_MAX_AGE': 0,  # keep it
        'OPTIONS': {
            'options': '-c statement_timeout=30000',
        },
    }
}
`

func TestDictLiteral(t *testing.T) {
	m := parse(t, settings)
	db := m.Lookup("DATABASES", "default")
	if !db.IsDict() || db.Dict == nil {
		t.Fatalf("default is not a dict literal: %+v", db)
	}
	got := strings.Join(db.Keys(), ",")
	if got != "ENGINE,HOST,CONN_MAX_AGE,OPTIONS" {
		t.Errorf("keys = %s", got)
	}
	if db.Dict.KeyQuote() != '\'' || !db.Dict.TrailingComma || !db.Dict.Multiline(m.Doc) {
		t.Errorf("dict style: quote %q trailing %v", db.Dict.KeyQuote(), db.Dict.TrailingComma)
	}
	if m.Doc.Src[db.Dict.Open] != '{' || m.Doc.Src[db.Dict.Close] != '}' {
		t.Errorf("open/close offsets wrong")
	}
	age := db.Get("CONN_MAX_AGE")
	if v, ok := age.Value().Effective(); !ok || v.Kind != Int || v.Int != 0 {
		t.Errorf("CONN_MAX_AGE = %+v", age.Value())
	}
	if text(m, age.Entry.Span) != "'CONN_MAX_AGE': 0," || text(m, age.Entry.KeySpan) != "'CONN_MAX_AGE'" || text(m, age.Expr.Span) != "0" {
		t.Errorf("entry spans: %q %q", text(m, age.Entry.Span), text(m, age.Entry.KeySpan))
	}
	// The outer dict has no trailing comma after its only entry.
	if m.Lookup("DATABASES").Dict.TrailingComma {
		t.Errorf("outer dict has no trailing comma")
	}
	host := db.Get("HOST").Value()
	if host.Kind != EnvDefault || host.Var != "DB_HOST" || host.Lit.Str != "db" || text(m, host.Default.Span) != "'db'" {
		t.Errorf("HOST = %+v", host)
	}
}

func TestSubscriptAssignments(t *testing.T) {
	m := parse(t, settings+`
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES['default']['OPTIONS']['pool'] = True
DATABASES["default"].update({"CONN_HEALTH_CHECKS": True})
DATABASES["default"]["OPTIONS"] |= {"connect_timeout": 10}
DATABASES[0] = 1
`)
	age := m.Lookup("DATABASES", "default", "CONN_MAX_AGE")
	if l, _ := age.Value().Effective(); l.Int != 600 || !age.BoundBySubscript() {
		t.Errorf("CONN_MAX_AGE = %+v subscript=%v", l, age.BoundBySubscript())
	}
	if age.Stmt.KeyQuote != '"' || age.Stmt.Indent != "" || m.Doc.Src[age.Stmt.LineEnd-1] != '\n' {
		t.Errorf("statement style: %+v", age.Stmt)
	}
	pool := m.Lookup("DATABASES", "default", "OPTIONS", "pool")
	if l, _ := pool.Value().Effective(); !l.Bool || pool.Stmt.KeyQuote != '\'' {
		t.Errorf("pool = %+v", pool.Value())
	}
	if hc := m.Lookup("DATABASES", "default", "CONN_HEALTH_CHECKS"); hc == nil || hc.Entry == nil || hc.Stmt.Op != ".update" {
		t.Errorf("update not merged: %+v", hc)
	}
	if ct := m.Lookup("DATABASES", "default", "OPTIONS", "connect_timeout"); ct == nil || ct.Stmt.Op != "|=" {
		t.Errorf("|= not merged")
	}
	for _, st := range m.Statements {
		if st.Name == "DATABASES" && len(st.Keys) == 1 && st.Keys[0] == "0" {
			t.Errorf("non-string subscript recorded")
		}
	}
}

func TestEnvValues(t *testing.T) {
	m := parse(t, `import os, environ
from decouple import config
import dj_database_url
env = environ.Env()
menv = environ.Env(DEBUG=(bool, False))
A = int(os.environ.get("A", "600"))
B = os.getenv("B", 5)
C = os.environ["C"]
D = env.int("D", default=0)
E = env("E", default="x")
F = config("F", default=0, cast=int)
G = config("G")
H = bool(os.environ.get("H", ""))
I = env.bool("I", default="false")
J = menv.int("J", 7)
K = os.environ.get("K")
L = 60 * 10
M = -1
N = 1.5
O = None
P = "a" "b"
Q = f"{A}"
R = some_call()
S = env.int("S")
T = config("T", default="30", cast=int)
U = f"{E}/1"
V = f"redis://{C}:6379"
W = f"{K}/1"
X = f"{E}/{E}"
`)
	cases := []struct {
		name string
		kind ValueKind
		lit  string
		def  string
	}{
		{"A", EnvDefault, "600", `"600"`},
		{"B", EnvDefault, "5", "5"},
		{"C", EnvRequired, "None", ""},
		{"D", EnvDefault, "0", "0"},
		{"E", EnvDefault, `"x"`, `"x"`},
		{"F", EnvDefault, "0", "0"},
		{"G", EnvRequired, "None", ""},
		{"H", EnvDefault, "False", `""`},
		{"I", EnvDefault, "False", `"false"`},
		{"J", EnvDefault, "7", "7"},
		{"K", EnvDefault, "None", ""},
		{"L", Literal, "600", ""},
		{"M", Literal, "-1", ""},
		{"N", Literal, "1.5", ""},
		{"O", Literal, "None", ""},
		{"P", Literal, `"ab"`, ""},
		{"Q", Unknown, "None", ""},
		{"R", Unknown, "None", ""},
		{"S", EnvRequired, "None", ""},
		{"T", EnvDefault, "30", `"30"`},
		{"U", EnvDefault, `"x/1"`, ""},
		{"V", EnvRequired, "None", ""},
		{"W", Unknown, "None", ""},
		{"X", Unknown, "None", ""},
	}
	for _, c := range cases {
		v := m.Lookup(c.name).Value()
		if v.Kind != c.kind || v.Lit.String() != c.lit {
			t.Errorf("%s: got %v %s, want %v %s", c.name, v.Kind, v.Lit, c.kind, c.lit)
		}
		def := ""
		if v.Default != nil {
			def = text(m, v.Default.Span)
		}
		if def != c.def {
			t.Errorf("%s: default span %q, want %q", c.name, def, c.def)
		}
		if v.Kind == EnvDefault && v.Var != c.name && v.Prefix == "" && v.Suffix == "" {
			t.Errorf("%s: var %q", c.name, v.Var)
		}
	}
	// An f-string around one read of the environment keeps the text around
	// it, for the deployment's value.
	if u := m.Lookup("U").Value(); u.Var != "E" || u.Prefix != "" || u.Suffix != "/1" {
		t.Errorf("U: %+v", u)
	}
	if v := m.Lookup("V").Value(); v.Var != "C" || v.Prefix != "redis://" || v.Suffix != ":6379" {
		t.Errorf("V: %+v", v)
	}
}

func TestKnownDictCalls(t *testing.T) {
	m := parse(t, `import dj_database_url
import environ
env = environ.Env()
DATABASES = {
    "default": dj_database_url.config(default="postgres://x", conn_max_age=600),
    "replica": env.db("REPLICA_URL"),
}
`)
	d := m.Lookup("DATABASES", "default")
	if d.Call == nil || !d.Open {
		t.Fatalf("default not a dict call: %+v", d)
	}
	age := d.Get("CONN_MAX_AGE")
	if age == nil || age.Arg == nil || text(m, age.Expr.Span) != "600" {
		t.Errorf("conn_max_age not bound: %+v", age)
	}
	if r := m.Lookup("DATABASES", "replica"); r.Call == nil || r.Call.Func != "env.db" || r.Get("CONN_MAX_AGE") != nil {
		t.Errorf("replica: %+v", r)
	}
	if c := d.Call; m.Doc.Src[c.Open] != '(' || m.Doc.Src[c.Close] != ')' || text(m, c.Kwarg("default").Span) != `default="postgres://x",` {
		t.Errorf("call spans")
	}
}

func TestAliasAndConditional(t *testing.T) {
	m := parse(t, `PG = {"ENGINE": "django.db.backends.postgresql"}
DATABASES = {"default": PG}
PG["CONN_MAX_AGE"] = 60
if os.environ.get("DATABASE_URL"):
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
try:
    from .local import *
except ImportError:
    pass
`)
	if age := m.Lookup("DATABASES", "default", "CONN_MAX_AGE"); age == nil {
		t.Errorf("alias: mutation through PG not seen")
	}
	hc := m.Lookup("DATABASES", "default", "CONN_HEALTH_CHECKS")
	if hc == nil || !hc.Conditional || hc.Stmt.Indent != "    " {
		t.Errorf("conditional: %+v", hc)
	}
	if len(m.StarImports) != 1 || m.StarImports[0] != ".local" {
		t.Errorf("star imports: %v", m.StarImports)
	}
	if d := m.Lookup("DATABASES", "default").Dict; d.Multiline(m.Doc) || d.KeyQuote() != '"' || d.TrailingComma {
		t.Errorf("one-line dict style")
	}
}

func TestLineEndingsAndTabs(t *testing.T) {
	src := "DATABASES = {\r\n\t\"default\": {\r\n\t\t\"CONN_MAX_AGE\": 0,\r\n\t},\r\n}\r\nDATABASES[\"default\"][\"X\"] = 1\r\n"
	m := parse(t, src)
	age := m.Lookup("DATABASES", "default", "CONN_MAX_AGE")
	if text(m, age.Expr.Span) != "0" || m.Doc.Position(age.Expr.Span.Start) != (parsers.Position{Line: 3, Column: 19}) {
		t.Errorf("CRLF spans: %q at %v", text(m, age.Expr.Span), m.Doc.Position(age.Expr.Span.Start))
	}
	x := m.Lookup("DATABASES", "default", "X")
	if x.Stmt.LineEnd != len(src) || text(m, x.Stmt.Span) != `DATABASES["default"]["X"] = 1` {
		t.Errorf("statement span %q lineEnd %d", text(m, x.Stmt.Span), x.Stmt.LineEnd)
	}
	// A BOM shifts nothing: spans still index the file's own bytes.
	bomSrc := "\xef\xbb\xbfX = {'a': 1}\n"
	m = parse(t, bomSrc)
	if a := m.Lookup("X", "a"); text(m, a.Expr.Span) != "1" {
		t.Errorf("BOM offset: %q", text(m, a.Expr.Span))
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct{ src, pos, msg string }{
		{"X = 1\nY = = 2\n", "2:5", "syntax error"},
		{"X = {\n  \"a\": 1,\n  \"b\": (2\n", "3:8", `"(" was never closed`},
		{"DATABASES = {\n    'default': {\n        'ENGINE': 'x'\n        'HOST': 'y',\n    }\n}\n", "3:19", "syntax error"},
		{"X = foo(\n", "1:8", "never closed"},
	}
	for _, c := range cases {
		_, err := Parse(parsers.NewDocument("s.py", parsers.KindPython, []byte(c.src)))
		var pe *parsers.Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v is not a *parsers.Error", c.src, err)
			continue
		}
		if pe.Pos.String() != c.pos || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: got %v, want %s %s", c.src, pe, c.pos, c.msg)
		}
	}
}

func TestNeverPanics(t *testing.T) {
	for _, src := range []string{"", "\n", "#", "x", "{", "}", "DATABASES[", "a = {**b, 'c': 1}", "a: int", "a = b = {}", "(a) = 1", "a[b][c] = 1", "a.update()", "del a", "\x00", "\"\"\"", "a = {1: 2, 'b': 3,}", "a = 'x' f'y'"} {
		_, _ = Parse(parsers.NewDocument("s.py", parsers.KindPython, []byte(src)))
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(settings))
	f.Add([]byte("DATABASES['default']['OPTIONS']['pool'] = True\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Parse(parsers.NewDocument("s.py", parsers.KindPython, src))
		if err != nil {
			return
		}
		for _, st := range m.Statements {
			if st.Span.Start < 0 || st.Span.End > len(src) || st.LineEnd > len(src) {
				t.Fatalf("span out of bounds: %+v", st)
			}
		}
	})
}

// Python ends lines at a lone \r; a CR-only settings module parses, with
// spans into its own bytes.
func TestLoneCRModule(t *testing.T) {
	src := "import os\rDEBUG = False\rDATABASES = {\r    'default': {'NAME': 'app'},\r}\r"
	doc := parsers.NewDocument("settings.py", parsers.KindPython, []byte(src))
	m, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	o := m.Lookup("DATABASES", "default", "NAME")
	if o == nil || doc.Text(o.Span()) != "'app'" {
		t.Fatalf("DATABASES.default.NAME = %v", o)
	}
	if p := doc.Position(o.Span().Start); p.Line != 4 {
		t.Errorf("found on line %d, want 4", p.Line)
	}
}

func TestProductionBranches(t *testing.T) {
	m := parse(t, `DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///x")}
DATABASES["default"] = DATABASES.get("default", {})
if "DATABASES" not in locals():
    DATABASES = {}
if os.environ.get("GITHUB_WORKFLOW"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "ci"}}
if "CI" in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if not os.getenv("CI"):
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if sys.platform == "win32":
    DATABASES["default"]["OPTIONS"] = {}
`)
	d := m.Lookup("DATABASES", "default")
	if d.Call == nil || d.Call.Func != "env.db" {
		t.Fatalf("default was replaced: %+v", d)
	}
	if d.Get("CONN_MAX_AGE") != nil || d.Get("ATOMIC_REQUESTS") != nil {
		t.Errorf("a CI-only branch was read")
	}
	if hc := d.Get("CONN_HEALTH_CHECKS"); hc == nil || hc.Conditional {
		t.Errorf("the not-CI branch is production: %+v", hc)
	}
	if o := d.Get("OPTIONS"); o == nil || !o.Conditional {
		t.Errorf("a platform branch is conditional: %+v", o)
	}
	c := m.Lookup("CACHES", "default", "BACKEND")
	if c == nil || !c.Conditional || c.Value().Lit.Str != "django.core.cache.backends.locmem.LocMemCache" {
		t.Errorf("caches: %+v", c)
	}
	for _, st := range m.Statements {
		if st.Value != nil && st.Value.Dict != nil && len(st.Value.Dict.Entries) > 0 {
			if e := st.Value.Dict.Entries[0]; e.Key == "default" && e.Value.Dict != nil {
				if b := e.Value.Dict.Entry("BACKEND"); b != nil && b.Value.Value.Lit.Str == "django.core.cache.backends.dummy.DummyCache" {
					t.Errorf("the DEBUG branch was read")
				}
			}
		}
	}
}

func TestUpdateFromDictCall(t *testing.T) {
	m := parse(t, `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}
db_from_env = dj_database_url.config(conn_max_age=500)
DATABASES["default"].update(db_from_env)
DATABASES["default"].update(dj_database_url.parse("postgres://x", conn_health_checks=True))
`)
	d := m.Lookup("DATABASES", "default")
	if age := d.Get("CONN_MAX_AGE"); age == nil || age.Value().Lit.Int != 500 {
		t.Errorf("CONN_MAX_AGE from the updated name: %+v", age)
	}
	if hc := d.Get("CONN_HEALTH_CHECKS"); hc == nil || !hc.Value().Lit.Bool {
		t.Errorf("CONN_HEALTH_CHECKS from the updated call: %+v", hc)
	}
	if d.Get("ENGINE") == nil || !d.Open {
		t.Errorf("update kept the engine and leaves the dict open: %+v", d)
	}
	if d.Call != nil || d.URLCall == nil || d.URLCall.Func != "dj_database_url.parse" {
		t.Errorf("the literal keeps no Call and records the last URL call it was updated with: %+v %+v", d.Call, d.URLCall)
	}
}

// A branch behind an environment flag that is false at its default runs
// only where the variable is set: its statements carry that condition, and
// Run leaves them out where the resolver says nothing sets the variable.
// A URL read with no default (SENTRY_DSN) is not a flag: kept.
func TestFlagBranches(t *testing.T) {
	m := parse(t, `DB_POOL_ENABLED = os.environ.get("DB_POOL_ENABLED", "False").lower() == "true"
USE_REPLICA = env.bool("USE_REPLICA", default=False)
ON = os.environ.get("ON", "true").lower() in ("1", "true")
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 0}}
if DB_POOL_ENABLED:
    DATABASES["default"]["OPTIONS"] = {"pool": {"max_size": 10}}
if USE_REPLICA:
    DATABASES["replica"] = {"ENGINE": "django.db.backends.postgresql"}
if os.environ.get("SENTRY_DSN"):
    DATABASES["default"]["ATOMIC_REQUESTS"] = True
if ON:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
`)
	want := map[string]string{"OPTIONS": "DB_POOL_ENABLED", "replica": "USE_REPLICA"}
	for _, st := range m.Statements {
		if len(st.Keys) == 0 {
			continue
		}
		key := st.Keys[len(st.Keys)-1]
		got := ""
		if st.RunsIf != nil && st.RunsIf.Flag {
			got = st.RunsIf.Var
		}
		if got != want[key] {
			t.Errorf("%s: runs if %q is set, want %q", key, got, want[key])
		}
	}
	ns := Run(m, unsetEnv{"DB_POOL_ENABLED": true, "SENTRY_DSN": true})
	d := ns.Lookup("DATABASES", "default")
	if d.Get("OPTIONS") != nil {
		t.Errorf("a branch whose flag nothing sets was read: %+v", d)
	}
	if ns.Lookup("DATABASES", "replica") == nil || d.Get("CONN_HEALTH_CHECKS") == nil || d.Get("ATOMIC_REQUESTS") == nil {
		t.Errorf("branches whose flag may be set were dropped")
	}
}

// unsetEnv is a Resolver whose environment sets none of its names.
type unsetEnv map[string]bool

func (unsetEnv) Star(*Module, *Import) *Namespace   { return nil }
func (unsetEnv) Include(*Module, *Import) []*Module { return nil }
func (u unsetEnv) Unset(name string) bool           { return u[name] }
