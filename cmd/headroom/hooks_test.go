package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/parsers"
)

// TestHookFilesPattern keeps the pre-commit hooks' files pattern in step
// with discovery: every path headroom reads by name triggers the hooks.
func TestHookFilesPattern(t *testing.T) {
	src, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Entry, Language, Files string
	}
	if err := yaml.Unmarshal(src, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 2 || hooks[0].ID != "headroom" || hooks[1].ID != "headroom-fix" {
		t.Fatalf("hooks = %+v", hooks)
	}
	for _, h := range hooks {
		re := regexp.MustCompile(h.Files)
		for _, p := range []string{"Dockerfile", "docker/Dockerfile.prod", "web.dockerfile", "nginx.conf", "deploy/nginx/site.conf",
			"conf.d/default.conf", "docker-compose.yml", "compose.yaml", "docker-compose.prod.yaml", "app/settings.py",
			"app/settings/production.py", "requirements.txt", "requirements/prod.txt", "pyproject.toml",
			"chat/models.py", "chat/views.py", "gunicorn.conf.py", ".env", "compose/production/django/start", "docker-entrypoint.sh"} {
			if parsers.Detect(p, nil) == parsers.KindUnknown && !strings.HasSuffix(p, ".py") && !strings.Contains(p, "start") && !strings.HasSuffix(p, ".sh") {
				t.Errorf("%s: headroom no longer reads it; update this test", p)
			}
			if !re.MatchString(p) {
				t.Errorf("hook %s does not run for %s", h.ID, p)
			}
		}
		for _, p := range []string{"README.md", "app/urls.py", ".github/workflows/ci.yml", "docs/index.rst"} {
			if re.MatchString(p) {
				t.Errorf("hook %s runs for %s", h.ID, p)
			}
		}
		if h.Language != "golang" || !strings.HasPrefix(h.Entry, "headroom ") {
			t.Errorf("hook %s: language %q entry %q", h.ID, h.Language, h.Entry)
		}
	}
}

// TestActionFlags checks that the GitHub Action calls headroom with flags
// the CLI has.
func TestActionFlags(t *testing.T) {
	src, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string
			Steps []struct{ Run string }
		}
	}
	if err := yaml.Unmarshal(src, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", action.Runs.Using)
	}
	lint := newLint(nil, io.Discard, io.Discard)
	found := false
	for _, step := range action.Runs.Steps {
		if !strings.Contains(step.Run, "headroom\" lint") {
			continue
		}
		found = true
		for _, flag := range regexp.MustCompile(`--([a-z-]+)`).FindAllStringSubmatch(step.Run, -1) {
			if lint.Flags().Lookup(flag[1]) == nil {
				t.Errorf("action.yml passes --%s, which lint does not have", flag[1])
			}
		}
	}
	if !found {
		t.Error("action.yml never runs headroom lint")
	}
}
