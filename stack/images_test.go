package stack

import (
	"strings"
	"testing"
)

// TestImageByName checks which services that run an image by name are tied
// to the Dockerfile that builds it, and which become a notice.
func TestImageByName(t *testing.T) {
	const app = "FROM python:3.12-slim\nCMD gunicorn shop.wsgi -w 3\n"
	services := func(s *Stack) []string {
		for _, c := range s.Commands {
			if c.File.Dockerfile != nil && c.Server.Program == "gunicorn" {
				return c.Services
			}
		}
		return nil
	}
	cases := []struct {
		name    string
		files   map[string]string
		linked  []string
		noticed string // a part of the notice, "" for none
	}{
		{
			name: "one Python Dockerfile, image named after a top-level folder",
			files: map[string]string{
				"Dockerfile":         app,
				"shop/settings.py":   "DEBUG = False\n",
				"docker-compose.yml": "services:\n  web:\n    image: acme/shop:latest\n  db:\n    image: postgres:16\n",
			},
			linked: []string{"web"},
		},
		{
			name: "another service builds it under the same tag",
			files: map[string]string{
				"docker/web.Dockerfile":    app,
				"docker/worker.Dockerfile": "FROM python:3.12-slim\nCMD celery -A shop worker\n",
				"docker-compose.yml":       "services:\n  build-web:\n    image: registry.example.com/team/frontdoor:1.2\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n    command: ['true']\n  web:\n    image: registry.example.com/team/frontdoor:1.2\n",
			},
			linked: []string{"web"},
		},
		{
			name: "a build script names it",
			files: map[string]string{
				"docker/web.Dockerfile":    app,
				"docker/worker.Dockerfile": "FROM python:3.12-slim\nCMD celery -A shop worker\n",
				"build.sh":                 "#!/bin/sh\ndocker build -t team/frontdoor:latest -f docker/web.Dockerfile .\n",
				"docker-compose.yml":       "services:\n  web:\n    image: team/frontdoor:latest\n",
			},
			linked: []string{"web"},
		},
		{
			name: "two Python Dockerfiles could build it: a notice",
			files: map[string]string{
				"docker/Dockerfile":      app,
				"docker/Dockerfile.prod": app,
				"shop/settings.py":       "DEBUG = False\n",
				"docker/compose.yml":     "services:\n  web:\n    image: shop/shop:backend\n  worker:\n    image: shop/shop:backend\n    command: celery -A shop worker\n",
			},
			noticed: "services web, worker run image shop/shop:backend, named after this repository, with no build: nothing in view says which of docker/Dockerfile, docker/Dockerfile.prod builds it",
		},
		{
			name: "a service runs a path only one Dockerfile's image holds",
			files: map[string]string{
				"docker/Dockerfile":      "FROM python:3.12-slim\nCOPY . /shop\nCMD gunicorn shop.wsgi -w 2\n",
				"docker/Dockerfile.prod": "FROM python:3.12-slim\nCOPY tools/ /opt/bin/\nCOPY shop/ /shop/\nENTRYPOINT [\"/opt/bin/web.sh\"]\n",
				"tools/web.sh":           "#!/bin/sh\nexec gunicorn shop.wsgi -w 3\n",
				"tools/worker.sh":        "#!/bin/sh\nexec celery -A shop worker\n",
				"shop/settings.py":       "DEBUG = False\n",
				"docker/compose.yml":     "services:\n  web:\n    image: shop/shop:backend\n  worker:\n    image: shop/shop:backend\n    entrypoint: [\"/opt/bin/worker.sh\"]\n",
			},
		},
		{
			name: "an image named after nothing of the repository stays quiet",
			files: map[string]string{
				"Dockerfile":         app,
				"shop/settings.py":   "DEBUG = False\n",
				"docker-compose.yml": "services:\n  web:\n    image: vendor/other:latest\n  cache:\n    image: acme/redis:7\n",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := build(t, tc.files)
			if tc.name == "a service runs a path only one Dockerfile's image holds" {
				var web []string
				for _, c := range s.Commands {
					if c.File.Doc.Path == "tools/web.sh" {
						web = c.Services
					}
				}
				if strings.Join(web, ",") != "web" {
					t.Errorf("tools/web.sh runs for %v, want [web]", web)
				}
			}
			if got := services(s); strings.Join(got, ",") != strings.Join(tc.linked, ",") {
				t.Errorf("services running the Dockerfile's command = %v, want %v", got, tc.linked)
			}
			var notes []string
			for _, sk := range s.Skipped {
				notes = append(notes, sk.Reason)
			}
			all := strings.Join(notes, "\n")
			if tc.noticed == "" && all != "" {
				t.Errorf("unexpected notices:\n%s", all)
			}
			if tc.noticed != "" && !strings.Contains(all, tc.noticed) {
				t.Errorf("notices:\n%s\nwant one containing %q", all, tc.noticed)
			}
		})
	}
}

// A gunicorn config module that no command runs is a notice, and is
// judged alone only where no gunicorn command is in view.
func TestUnrunConfigs(t *testing.T) {
	conf := "bind = '127.0.0.1:8001'\nworkers = 5\n"
	s := build(t, map[string]string{"contrib/gunicorn.py": conf, "requirements.txt": "gunicorn\n"})
	if got := s.UnrunConfigs(); len(got) != 1 || got[0].Doc.Path != "contrib/gunicorn.py" {
		t.Errorf("no command: UnrunConfigs = %v", got)
	}
	if len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0].Reason, "no command in view runs gunicorn with it") {
		t.Errorf("no command: notices %+v", s.Skipped)
	}
	s = build(t, map[string]string{"contrib/gunicorn.py": conf, "Procfile": "web: gunicorn app.wsgi -w 4\n"})
	if got := s.UnrunConfigs(); len(got) != 0 {
		t.Errorf("beside a command that runs without it: UnrunConfigs = %v", got)
	}
	if len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0].Reason, "none of the gunicorn commands in view runs with it") {
		t.Errorf("beside a command: notices %+v", s.Skipped)
	}
	s = build(t, map[string]string{"contrib/gunicorn.py": conf, "Procfile": "web: gunicorn -c contrib/gunicorn.py app.wsgi\n"})
	if len(s.UnrunConfigs()) != 0 || len(s.Skipped) != 0 {
		t.Errorf("run with -c: UnrunConfigs %v, notices %+v", s.UnrunConfigs(), s.Skipped)
	}
}

// A config module a file names, in a command headroom does not read as
// gunicorn, is not judged alone.
func TestUnrunConfigNamed(t *testing.T) {
	s := build(t, map[string]string{"gunicorn-prod.conf.py": "bind = ':8000'\nworkers = 4\n", "deploy/run": "#!/bin/sh\nexec ./launcher --config gunicorn-prod.conf.py\n"})
	if len(s.UnrunConfigs()) != 0 {
		t.Errorf("UnrunConfigs = %v", s.UnrunConfigs())
	}
	if len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0].Reason, "named in deploy/run") {
		t.Errorf("notices %+v", s.Skipped)
	}
}
