package driver

import (
	"testing"

	"github.com/headroom-dev/headroom/parsers"
)

func TestExtent(t *testing.T) {
	cases := []struct {
		kind       parsers.Kind
		src        string
		line, want int
	}{
		{parsers.KindDockerfile, "FROM x\nCMD gunicorn app \\\n  --workers 2 \\\n  --timeout 60\nEXPOSE 80\n", 2, 4},
		{parsers.KindDockerfile, "CMD [\"gunicorn\",\n  \"app\"]\nEXPOSE 80\n", 1, 2},
		{parsers.KindDockerfile, "# it's [a comment\nCMD gunicorn app\nEXPOSE 80\n", 2, 2},
		{parsers.KindPython, "X = {\n    \"a\": \"}\",  # }\n    \"b\": [1,\n 2],\n}\nY = 1\n", 1, 5},
		{parsers.KindPython, "X = 1\nY = 2\n", 1, 1},
		{parsers.KindNginx, "upstream app {\n  server a:8000;\n}\nserver {\n  location / {\n    proxy_pass http://app;\n  }\n}\n", 4, 8},
		{parsers.KindCompose, "services:\n  web:\n    command: >\n      gunicorn app\n      -w 2\n  db:\n    image: postgres\n", 2, 5},
	}
	for _, c := range cases {
		doc := parsers.NewDocument("f", c.kind, []byte(c.src))
		if got := extent(doc, c.line); got != c.want {
			t.Errorf("%s line %d: extent %d, want %d\n%s", c.kind, c.line, got, c.want, c.src)
		}
	}
}
