package python

import (
	"strings"
	"testing"
)

const confSettings = `from configurations import Configuration, values

PREFIX = "redis://cache"


class Base(Configuration):
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 0}}
    WORKERS = values.IntegerValue(5)
    EAGER = values.BooleanValue(False, environ_prefix=None)
    BROKER = values.Value("redis://redis:6379/0", environ_name="BROKER_URL", environ_prefix="MYAPP_")
    TRANSPORT = values.DictValue({"visibility_timeout": 3600})
    CACHE_URL = values.Value(PREFIX)
    DB = values.DatabaseURLValue(None)
    SECRET_KEY = values.SecretValue()

    @property
    def HOSTS(self):
        return []


class A(Base):
    WORKERS = 7


class B(Base):
    WORKERS = 9
    EAGER = True


class Production(A, B):
    pass
`

func TestConfigurationClasses(t *testing.T) {
	m := parse(t, confSettings)
	if m.Names["DATABASES"] != nil || m.Names["WORKERS"] != nil {
		t.Fatalf("class attributes leaked into the module's names: %v", m.Names)
	}
	var got []string
	for _, c := range m.MRO("Production") {
		got = append(got, c.Name)
	}
	if strings.Join(got, " ") != "Production A B Base" {
		t.Fatalf("MRO = %v, want Production A B Base (C3)", got)
	}
	ns := RunClass(m, nil, m.MRO("Production"))
	// A comes before B in the MRO: its WORKERS wins; EAGER is B's.
	if l, _ := ns.Names["WORKERS"].Value().Effective(); l.Int != 7 {
		t.Errorf("WORKERS = %v, want 7 (A's)", l)
	}
	if v := ns.Names["EAGER"].Value(); v.Kind != Literal || !v.Lit.Bool {
		t.Errorf("EAGER = %+v, want B's True", v)
	}
	ns = RunClass(m, nil, m.MRO("Base"))
	for name, want := range map[string]struct {
		env string
		lit string
	}{
		"WORKERS":   {"DJANGO_WORKERS", "5"},
		"EAGER":     {"EAGER", "False"},
		"BROKER":    {"MYAPP_BROKER_URL", `"redis://redis:6379/0"`},
		"CACHE_URL": {"DJANGO_CACHE_URL", `"redis://cache"`},
		"DB":        {"DATABASE_URL", "None"},
	} {
		v := ns.Names[name].Value()
		if v.Kind != EnvDefault || v.Var != want.env || v.Lit.String() != want.lit {
			t.Errorf("%s = %v %q %s, want the default %s of $%s", name, v.Kind, v.Var, v.Lit.String(), want.lit, want.env)
		}
	}
	if v := ns.Names["SECRET_KEY"].Value(); v.Kind != EnvRequired || v.Var != "DJANGO_SECRET_KEY" {
		t.Errorf("SecretValue = %+v, want a required $DJANGO_SECRET_KEY", v)
	}
	if o := ns.Lookup("TRANSPORT", "visibility_timeout"); o == nil || o.Stmt.Doc.Text(o.Stmt.Span) == "" {
		t.Errorf("DictValue's default dict not read: %v", o)
	}
	if o := ns.Lookup("DATABASES", "default", "CONN_MAX_AGE"); o == nil || !strings.HasPrefix(text(m, o.Stmt.Span), "    DATABASES") && !strings.HasPrefix(text(m, o.Stmt.Span), "DATABASES") {
		t.Errorf("DATABASES not bound from the class body statement: %v", o)
	}
	if ns.Names["HOSTS"] != nil {
		t.Errorf("a property was read as a setting")
	}
	if m.MRO("Missing") != nil {
		t.Errorf("MRO of a class the module lacks")
	}
}
