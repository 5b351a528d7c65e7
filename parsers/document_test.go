package parsers

import "testing"

func TestPositions(t *testing.T) {
	d := NewDocument("f", KindNginx, []byte("ab\r\ncd\nlast"))
	for _, c := range []struct {
		off  int
		want Position
	}{{0, Position{1, 1}}, {2, Position{1, 3}}, {4, Position{2, 1}}, {7, Position{3, 1}}, {11, Position{3, 5}}, {99, Position{3, 5}}} {
		if got := d.Position(c.off); got != c.want {
			t.Errorf("Position(%d) = %v, want %v", c.off, got, c.want)
		}
		if c.off <= 11 && d.Offset(c.want.Line, c.want.Column) != c.off {
			t.Errorf("Offset(%v) = %d, want %d", c.want, d.Offset(c.want.Line, c.want.Column), c.off)
		}
	}
	if got := d.Text(d.LineSpan(1)); got != "ab" {
		t.Errorf("LineSpan(1) = %q (CR must not be part of the line)", got)
	}
	if d.Newline() != "\r\n" || NewDocument("f", KindNginx, []byte("a\nb")).Newline() != "\n" {
		t.Error("Newline does not follow the file's first line ending")
	}
	if got := NewDocument("f", KindNginx, []byte("x\n\t  y")).Indentation(5); got != "\t  " {
		t.Errorf("Indentation = %q", got)
	}
}

func TestCheckText(t *testing.T) {
	if err := NewDocument("a.conf", KindNginx, []byte("ok\n")).CheckText(); err != nil {
		t.Error(err)
	}
	if err := NewDocument("a.conf", KindNginx, []byte("x\n\x00")).CheckText(); err == nil || err.Error() != "a.conf:2:1: binary content (NUL byte); not a nginx file" {
		t.Errorf("NUL: %v", err)
	}
	if err := NewDocument("a.yml", KindCompose, []byte("ab\xffc")).CheckText(); err == nil || err.Error() != "a.yml:1:3: invalid UTF-8" {
		t.Errorf("invalid UTF-8: %v", err)
	}
}

func TestDetect(t *testing.T) {
	settings := []byte("import os\nDATABASES = {}\n")
	nginxSrv := []byte("upstream app {\n    server web:8000;\n}\nserver {\n    listen 80;\n}\n")
	for _, c := range []struct {
		path string
		head []byte
		want Kind
	}{
		{"Dockerfile", nil, KindDockerfile},
		{"docker/Dockerfile.prod", nil, KindDockerfile},
		{"web.dockerfile", nil, KindDockerfile},
		{"nginx.conf", nil, KindNginx},
		{"deploy/nginx/site.conf", nil, KindNginx},
		{"conf.d/default.conf", nil, KindNginx},
		{"conf.d/default.conf", []byte("server {\n    listen 80;\n}\n"), KindNginx},
		{"etc/ralph/conf.d/gunicorn.conf", []byte("# bind\nGUNICORN_BIND=0.0.0.0:8000\nexport GUNICORN_WORKERS=2\n"), KindEnv},
		{"gunicorn.conf", []byte("workers = 4\n"), KindPython},
		{"wsgi/config.py", []byte("from os import getenv\nbind = \"0.0.0.0:8000\"\nworkers = int(getenv(\"W\", 3))\n"), KindPython},
		{"tools/jobs.py", []byte("workers = 4\n"), KindUnknown},
		{"etc/supervisor.conf", nil, KindUnknown},
		{".docker/nginx.conf.nginx", nginxSrv, KindNginx},
		{"api/nginx.conf.template", nginxSrv, KindNginx},
		{"docker/nginx-cache/server.conf", []byte("location / {\n  proxy_pass http://web:8000;\n}\n"), KindNginx},
		{"deploy/site.conf.template", nginxSrv, KindNginx},
		{"deploy/nginx.conf.example", nginxSrv, KindUnknown},
		{"config/nginx.conf.erb", nginxSrv, KindUnknown},
		{"docker/nginx-cache/supervisord.conf", []byte("[program:nginx]\ncommand=nginx\n"), KindUnknown},
		{"deploy/app.conf.template", []byte("[program:web]\ncommand=gunicorn app.wsgi\n"), KindUnknown},
		{"conf/supervisord.conf", []byte("[supervisord]\nnodaemon=true\n\n[program:web]\ncommand=gunicorn app.wsgi\n"), KindShell},
		{"etc/supervisor/conf.d/app.ini", []byte("[program:web]\r\ncommand=uvicorn app:app\r\n"), KindShell},
		{"bin/scalingo_run_web", []byte("#/bin/bash\ngunicorn -b :8000 app.wsgi &\n"), KindShell},
		{"bin/notes", []byte("# gunicorn notes\n"), KindUnknown},
		{"deploy/site.conf", nginxSrv, KindUnknown},
		{"docker-compose.yml", nil, KindCompose},
		{"docker-compose.prod.yaml", nil, KindCompose},
		{"compose.yaml", nil, KindCompose},
		{".github/workflows/ci.yml", nil, KindUnknown},
		{"app/settings.py", nil, KindPython},
		{"app/settings/production.py", nil, KindPython},
		{"app/config.py", settings, KindPython},
		{"app/models.py", []byte("class A: pass\n"), KindPythonApp},
		{"chat/serializers.py", nil, KindPythonApp},
		{"chat/views/session.py", nil, KindPythonApp},
		{"jobs/results.py", []byte("from celery.result import AsyncResult\n"), KindPythonApp},
		{"jobs/helpers.py", []byte("import os\n"), KindUnknown},
		{"chat/viewsets.py", nil, KindPythonApp},
		{"chat/tasks.py", nil, KindUnknown},
		{"chat/models.txt", nil, KindUnknown},
		{"requirements.txt", nil, KindRequirements},
		{"requirements/prod.txt", nil, KindRequirements},
		{"pyproject.toml", nil, KindRequirements},
		{"uv.lock", nil, KindRequirements},
	} {
		if got := Detect(c.path, c.head); got != c.want {
			t.Errorf("Detect(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}

// YAML and Python end lines at a lone \r as well; BuildKit, nginx and the
// shell do not. Added lines use the file's own break.
func TestLoneCRLines(t *testing.T) {
	src := []byte("a: 1\rb: 2\r\nc: 3\n")
	for kind, lines := range map[Kind]int{KindCompose: 4, KindPython: 4, KindDockerfile: 3, KindNginx: 3} {
		d := NewDocument("f", kind, src)
		if d.LineCount() != lines {
			t.Errorf("%s: %d lines, want %d", kind, d.LineCount(), lines)
		}
	}
	d := NewDocument("f", KindCompose, src)
	if got := d.Text(d.LineSpan(1)); got != "a: 1" {
		t.Errorf("line 1 = %q", got)
	}
	if got := d.Text(d.LineSpan(2)); got != "b: 2" {
		t.Errorf("line 2 = %q", got)
	}
	if p := d.Position(5); p.Line != 2 || p.Column != 1 {
		t.Errorf("Position(5) = %v", p)
	}
	if nl := d.Newline(); nl != "\r" {
		t.Errorf("Newline = %q, want \\r", nl)
	}
	if nl := NewDocument("f", KindPython, []byte("a = 1\r\n")).Newline(); nl != "\r\n" {
		t.Errorf("CRLF Newline = %q", nl)
	}
}

// Non-UTF-8 bytes: accepted where the file's own tool reads them (BuildKit
// and nginx read bytes; Python a module that declares latin-1), refused
// elsewhere.
func TestCheckTextEncodings(t *testing.T) {
	for _, c := range []struct {
		kind Kind
		src  string
		ok   bool
	}{
		{KindDockerfile, "# caf\xe9\nFROM x\n", true},
		{KindNginx, "# caf\xe9\nevents {}\n", true},
		{KindPython, "# -*- coding: latin-1 -*-\nX = 'caf\xe9'\n", true},
		{KindPython, "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\nX = 'caf\xe9'\n", true},
		{KindPython, "X = 'caf\xe9'\n", false},
		{KindPython, "# -*- coding: utf-8 -*-\nX = 'caf\xe9'\n", false},
		{KindPython, "\n\n# -*- coding: latin-1 -*-\nX = 'caf\xe9'\n", false},
		{KindCompose, "# caf\xe9\nservices: {}\n", false},
		{KindNginx, "events {}\x00", false},
	} {
		err := NewDocument("f", c.kind, []byte(c.src)).CheckText()
		if (err == nil) != c.ok {
			t.Errorf("%s %q: %v, want ok %v", c.kind, c.src, err, c.ok)
		}
	}
}
