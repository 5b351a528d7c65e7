package requirements

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func versions(t *testing.T, path, src string) map[string]string {
	t.Helper()
	f, err := Parse(parsers.NewDocument(path, parsers.KindRequirements, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, r := range f.Packages {
		out[name] = r.Version.String()
	}
	return out
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ path, src, pkg, want string }{
		{"requirements.txt", "Django==5.1.4  # web\n", "django", "5.1.4"},
		{"requirements.txt", "-r base.txt\npsycopg[binary]>=3.2,<4\n", "psycopg", "3.2"},
		{"requirements.txt", "psycopg2-binary~=2.9.9\n", "psycopg2-binary", "2.9.9"},
		{"requirements.txt", "django>5\n", "django", ""},
		{"requirements.txt", "Django\n", "django", ""},
		{"requirements.txt", "django_redis==5.4\n", "django-redis", "5.4"},
		{"pyproject.toml", "[project]\ndependencies = [\"Django>=5.1\", \"gunicorn\"]\n", "django", "5.1"},
		{"pyproject.toml", "[tool.poetry.dependencies]\ndjango = \"^4.2\"\npsycopg = {version = \"^3.1\", extras = [\"binary\"]}\n", "psycopg", "3.1"},
		{"poetry.lock", "[[package]]\nname = \"django\"\nversion = \"4.2.16\"\n", "django", "4.2.16"},
	} {
		got, ok := versions(t, c.path, c.src)[c.pkg]
		if !ok || got != c.want {
			t.Errorf("%s %q: %s = %q (present %v), want %q", c.path, c.src, c.pkg, got, ok, c.want)
		}
	}
}

func TestExact(t *testing.T) {
	for _, c := range []struct {
		path, src string
		want      bool
	}{
		{"requirements.txt", "redis==7.4.0\n", true},
		{"requirements.txt", "redis[hiredis]==5.0.1 ; python_version >= '3.9'\n", true},
		{"requirements.txt", "redis==5.*\n", false},
		{"requirements.txt", "redis==8.0.0b1\n", false},
		{"requirements.txt", "redis>=5.0\n", false},
		{"requirements.txt", "redis~=5.0\n", false},
		{"requirements.txt", "redis==5.0,<6\n", true},
		{"poetry.lock", "[[package]]\nname = \"redis\"\nversion = \"5.2.1\"\n", true},
	} {
		f, err := Parse(parsers.NewDocument(c.path, parsers.KindRequirements, []byte(c.src)))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Packages["redis"].Exact; got != c.want {
			t.Errorf("%s %q: Exact = %v, want %v", c.path, c.src, got, c.want)
		}
	}
}

func TestAtLeast(t *testing.T) {
	v := Version{5, 1}
	if !v.AtLeast(5, 1) || !v.AtLeast(4, 2) || v.AtLeast(5, 1, 1) || v.AtLeast(6) {
		t.Error("AtLeast compares wrong")
	}
}

func TestTOMLError(t *testing.T) {
	_, err := Parse(parsers.NewDocument("pyproject.toml", parsers.KindRequirements, []byte("[project\n")))
	if err == nil || err.Error()[:17] != "pyproject.toml:1:" {
		t.Errorf("error = %v", err)
	}
}
