package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/schematest"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

var update = flag.Bool("update", false, "rewrite the golden outputs")

// fixture is a small report with every feature a format must carry: two
// severities, a fix, a related location in another file, characters that
// need escaping, and an unreadable file.
func fixture() *Report {
	docker := parsers.NewDocument("Dockerfile", parsers.KindDockerfile, []byte("FROM python\nCMD [\"gunicorn\", \"app.wsgi\", \"--workers\", \"3\"]\n"))
	compose := parsers.NewDocument("docker-compose.yml", parsers.KindCompose, []byte("services:\n  web:\n    cpus: 1\n"))
	workers := &rules.Rule{ID: "HR101", Name: "gunicorn-workers", Phase: 1, Severity: rules.Warning, Fixable: true,
		Doc: rules.Doc{Title: "Too few gunicorn workers", Why: "Each sync worker serves one request at a time."}}
	budget := &rules.Rule{ID: "HR105", Name: "gunicorn-cpu-budget", Phase: 1, Severity: rules.Error,
		Doc: rules.Doc{Title: "More workers than the CPU budget", Why: "Workers beyond 2 x cpus + 1 contend."}}
	valueSpan := parsers.Span{Start: 49, End: 52}
	return &Report{
		Rules:   []*rules.Rule{workers, budget},
		Version: "v0.1.0",
		Findings: []rules.Diagnostic{
			{Rule: workers, Severity: rules.Warning, Doc: docker, Span: valueSpan,
				Message: "3 workers: 100% busy, at 50 req/s\nraise to 8, the target",
				Fixes:   []rules.Fix{{Message: "set --workers 8", Edits: []edit.TextEdit{{Path: "Dockerfile", Span: valueSpan, New: `"8"`}}}}},
			{Rule: budget, Severity: rules.Error, Doc: docker, Span: valueSpan, Message: "8 workers exceed 2 x 1 cpus + 1 = 3",
				Related: []rules.Location{{Doc: compose, Span: parsers.Span{Start: 21, End: 28}, Message: "cpus: 1, the web service's CPU limit"}}},
		},
		Errors: []error{&parsers.Error{Path: "nginx/nginx.conf", Pos: parsers.Position{Line: 3, Column: 5}, Msg: `unexpected "}"`}},
	}
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, format, fixture()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", format+".golden")
			if *update {
				os.WriteFile(golden, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("%s output differs from %s (go test -update):\n%s", format, golden, b.String())
			}
		})
	}
}

func TestSARIFSchema(t *testing.T) {
	schema := schematest.Compile(t, "testdata/sarif-2.1.0.json")
	for name, rep := range map[string]*Report{"full": fixture(), "empty": {}} {
		var b bytes.Buffer
		if err := SARIF(&b, rep); err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(t, b.Bytes()); err != nil {
			t.Errorf("%s: SARIF output does not validate: %v", name, err)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got := ghData("50% busy\r\nnext"); got != "50%25 busy%0D%0Anext" {
		t.Errorf("ghData = %q", got)
	}
	if got := ghProperty("a:b,c%"); got != "a%3Ab%2Cc%25" {
		t.Errorf("ghProperty = %q", got)
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, fixture().Findings, []error{errors.New("plain")}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Version  int
		Findings []map[string]any
		Errors   []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	keys := []string{"rule", "name", "phase", "severity", "path", "line", "column", "end_line", "end_column", "message", "fixable", "related"}
	for _, k := range keys {
		if _, ok := got.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	if got.Version != JSONVersion || got.Errors[0]["message"] != "plain" {
		t.Errorf("version %d, errors %v", got.Version, got.Errors)
	}
}

func TestTextQuietWhenClean(t *testing.T) {
	var b bytes.Buffer
	Text(&b, nil, nil)
	if b.Len() != 0 {
		t.Errorf("clean run printed %q", b.String())
	}
	b.Reset()
	Text(&b, fixture().Findings, nil)
	if !strings.HasSuffix(b.String(), "Found 2 findings: 1 error, 1 warning (1 fixable with `headroom fix`).\n") {
		t.Errorf("summary: %q", b.String())
	}
}

func TestTextStyles(t *testing.T) {
	var b bytes.Buffer
	TextStyled(&b, fixture().Findings, nil, TextStyle{Quiet: true})
	if strings.Contains(b.String(), "Found") {
		t.Errorf("--quiet printed a summary:\n%s", b.String())
	}
	b.Reset()
	TextStyled(&b, fixture().Findings, nil, TextStyle{Color: true})
	for _, want := range []string{"\x1b[1mDockerfile:2:38:\x1b[0m \x1b[33mHR101\x1b[0m", "\x1b[31mHR105\x1b[0m", "\x1b[36m[*]\x1b[0m"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("coloured output lacks %q:\n%q", want, b.String())
		}
	}
}

// failingWriter refuses every write, as a full disk or a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteErrorsReachTheCaller: every format reports a failed write, so
// the CLI can exit 2 instead of pretending the report went out.
func TestWriteErrorsReachTheCaller(t *testing.T) {
	for _, format := range Formats {
		if err := Write(failingWriter{}, format, fixture()); err == nil {
			t.Errorf("%s: a failed write returned no error", format)
		}
	}
}

// A report streamed one finding at a time, from findings that no longer
// hold their files (rules.Detach), is byte for byte the report Write
// writes, in every format, with and without findings and errors.
func TestStreamMatchesWrite(t *testing.T) {
	for _, spooled := range []int{spoolMemory, 1} { // 1: SARIF's results go through a temporary file
		defer func(m int) { spoolMemory = m }(spoolMemory)
		spoolMemory = spooled
		streamMatchesWrite(t)
	}
}

func streamMatchesWrite(t *testing.T) {
	for _, format := range Formats {
		for _, strip := range []string{"", "findings", "errors", "both"} {
			r := fixture()
			if strip == "findings" || strip == "both" {
				r.Findings = nil
			}
			if strip == "errors" || strip == "both" {
				r.Errors = nil
			}
			var want bytes.Buffer
			if err := Write(&want, format, r); err != nil {
				t.Fatal(err)
			}
			detached := append([]rules.Diagnostic(nil), r.Findings...)
			rules.Detach(detached)
			var got bytes.Buffer
			s, err := NewStream(&got, format, &Report{Rules: r.Rules, Version: r.Version, Style: r.Style})
			if err != nil {
				t.Fatal(err)
			}
			for i := range detached {
				if err := s.Add(detached[i : i+1]); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(r.Errors); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%s without %q: streamed\n%s\nwant\n%s", format, strip, got.String(), want.String())
			}
			if detached != nil && detached[0].Doc.Src != nil {
				t.Errorf("a detached finding still holds its file's source")
			}
		}
	}
}

// The JSON report without findings or errors is the shape encoding/json
// writes of it.
func TestJSONEmptyMatchesEncoder(t *testing.T) {
	var got, want bytes.Buffer
	if err := JSON(&got, nil, nil); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.Encode(struct {
		Version  int           `json:"version"`
		Findings []jsonFinding `json:"findings"`
		Errors   []jsonError   `json:"errors"`
	}{JSONVersion, []jsonFinding{}, []jsonError{}})
	if got.String() != want.String() {
		t.Errorf("JSON = %q, want %q", got.String(), want.String())
	}
}
