package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommand: the formats, --output, the assumptions from the
// flags over report: in .headroom.yaml, and the usage errors.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM python:3.12-slim\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"4\"]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".headroom.yaml"), []byte("report:\n  request_ms: 200\n"), 0o644)
	throughput := func(args ...string) (float64, map[string]any) {
		t.Helper()
		var stdout, stderr strings.Builder
		if code := run(append([]string{"report", "--format", "json"}, append(args, dir)...), strings.NewReader(""), &stdout, &stderr); code != exitClean {
			t.Fatalf("report %v: exit %d\n%s", args, code, stderr.String())
		}
		var doc struct {
			Assumptions map[string]any `json:"assumptions"`
			Deployments []struct {
				Services []struct {
					Role          string  `json:"role"`
					ThroughputRPS float64 `json:"throughput_rps"`
				} `json:"services"`
			} `json:"deployments"`
		}
		if err := json.Unmarshal([]byte(stdout.String()), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Deployments[0].Services[0].ThroughputRPS, doc.Assumptions
	}
	// 4 sync workers at the configuration's 200 ms: 20 req/s; db_ms
	// follows as 30% of it.
	if got, a := throughput(); got != 20 || a["db_ms"] != 60.0 {
		t.Errorf("from .headroom.yaml: %g req/s, assumptions %v; want 20, db_ms 60", got, a)
	}
	if got, a := throughput("--request-ms", "50", "--db-ms", "5"); got != 80 || a["db_ms"] != 5.0 {
		t.Errorf("--request-ms 50: %g req/s, assumptions %v; want 80, db_ms 5", got, a)
	}
	for _, args := range [][]string{{"--format", "pdf"}, {"--db-ms", "300"}, {"--request-ms", "0"}, {"--output", filepath.Join(dir, "missing", "r.md")}} {
		var stderr strings.Builder
		if code := run(append(append([]string{"report"}, args...), dir), strings.NewReader(""), &strings.Builder{}, &stderr); code != exitError {
			t.Errorf("report %v: exit %d, want 2", args, code)
		}
	}
	out := filepath.Join(dir, "report.html")
	var stdout strings.Builder
	if code := run([]string{"report", "--format", "html", "--output", out, dir}, strings.NewReader(""), &stdout, &strings.Builder{}); code != exitClean || stdout.Len() != 0 {
		t.Fatalf("--output: exit %d, stdout %q", code, stdout.String())
	}
	if page, _ := os.ReadFile(out); !strings.HasPrefix(string(page), "<!DOCTYPE html>") || !strings.Contains(string(page), "<svg class=\"chart\"") {
		t.Errorf("--output wrote %.200q", page)
	}
}
