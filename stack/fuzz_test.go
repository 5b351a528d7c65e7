package stack

import (
	"testing"

	"github.com/headroom-dev/headroom/internal/seeds"
	"github.com/headroom-dev/headroom/parsers"
)

// fuzzParse checks that a parser never panics, and that what it returns
// is either a located error or a file whose spans lie inside the input.
func fuzzParse(f *testing.F, kind parsers.Kind, name string, extra ...string) {
	for _, s := range seeds.Of(f, kind) {
		f.Add(s.Src)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc := parsers.NewDocument(name, kind, src)
		file, err := Parse(doc)
		if err != nil {
			if pe, ok := err.(*parsers.Error); ok && pe.Pos.Line > doc.LineCount() {
				t.Errorf("error past the end of the file: %v", err)
			}
			return
		}
		s := New([]*File{file})
		for _, c := range s.Commands {
			for _, w := range c.Server.Argv.Words {
				if w.Span.Start < 0 || w.Span.End > len(src) || w.Span.Start > w.Span.End {
					t.Errorf("word %q has span %v outside a %d-byte file", w.Value, w.Span, len(src))
				}
			}
		}
	})
}

func FuzzDockerfile(f *testing.F) {
	fuzzParse(f, parsers.KindDockerfile, "Dockerfile",
		"FROM x\nCMD gunicorn -w3 app.wsgi\n", "CMD [\"gunicorn\", \"-k\", \"gevent\"]\n", "CMD [\"a\\\n\", \\\n \"b\"]")
}

func FuzzNginx(f *testing.F) {
	fuzzParse(f, parsers.KindNginx, "nginx/nginx.conf",
		"upstream a { server b:1; }\nserver { location / { proxy_pass http://a; } }\n", "events{}\nhttp{gzip off;}\n", "a \"b\\\"c\" '{';")
}

func FuzzCompose(f *testing.F) {
	fuzzParse(f, parsers.KindCompose, "docker-compose.yml",
		"services:\n  web:\n    command: gunicorn -w 3 app.wsgi\n", "services:\n  web:\n    command: >\n      uvicorn a:b\n      --workers 2\n", "x: &a [*a]\n")
}

func FuzzPython(f *testing.F) {
	fuzzParse(f, parsers.KindPython, "settings.py",
		"DATABASES = {'default': {'CONN_MAX_AGE': 0}}\n", "DATABASES['default']['CONN_MAX_AGE'] = env.int('X', default=0)\n", "CACHES = {\n")
}

func FuzzRequirements(f *testing.F) {
	fuzzParse(f, parsers.KindRequirements, "requirements.txt", "Django==5.1\npsycopg[binary]>=3.2\n")
}
