package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/headroom-dev/headroom/rules"
)

// Fingerprint identifies a finding across runs, independent of line
// numbers: the rule, the file, and the text the finding points at.
func Fingerprint(d rules.Diagnostic) string {
	h := sha256.Sum256([]byte(d.Rule.ID + "\x00" + d.Doc.Path + "\x00" + d.Doc.Text(d.Span) + "\x00" + d.Message))
	return hex.EncodeToString(h[:])[:32]
}

// GitHub writes workflow commands that annotate the pull request:
// ::warning file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message
// An annotation has one location, so a finding's related locations follow
// its message, one "related: path:line:col: message" line each.
func GitHub(w io.Writer, r *Report) error {
	return writeStream(&githubStream{w: w}, r.Findings, r.Errors)
}

// githubStream writes the workflow commands as findings come.
type githubStream struct{ w io.Writer }

func (s *githubStream) Add(ds []rules.Diagnostic) error {
	var b bytes.Buffer
	for _, d := range ds {
		pos, end := d.Pos(), d.End()
		cmd := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "notice"}[d.Severity]
		if cmd == "" {
			cmd = "warning"
		}
		msg := d.Message
		for _, rel := range d.Related {
			rp := rel.Doc.Position(rel.Span.Start)
			msg += fmt.Sprintf("\nrelated: %s:%d:%d: %s", rel.Doc.Path, rp.Line, rp.Column, rel.Message)
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
			ghProperty(d.Doc.Path), pos.Line, pos.Column, end.Line, end.Column,
			ghProperty(d.Rule.ID+" "+d.Rule.Name), ghData(msg))
	}
	return flush(s.w, &b)
}

func (s *githubStream) Close(errs []error) error {
	var b bytes.Buffer
	for _, err := range errs {
		path, pos, msg := errorLocation(err)
		if path == "" {
			fmt.Fprintf(&b, "::error::%s\n", ghData(msg))
			continue
		}
		fmt.Fprintf(&b, "::error file=%s,line=%d,col=%d,title=headroom::%s\n", ghProperty(path), pos.Line, pos.Column, ghData(msg))
	}
	return flush(s.w, &b)
}

// ghData escapes a workflow command's message as the runner decodes it.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value, where ':' and ',' also separate.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Checkstyle writes the checkstyle XML report many CI systems read.
func Checkstyle(w io.Writer, r *Report) error {
	type cError struct {
		Line     int    `xml:"line,attr"`
		Column   int    `xml:"column,attr,omitempty"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
	type cFile struct {
		Name   string   `xml:"name,attr"`
		Errors []cError `xml:"error"`
	}
	type checkstyle struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []*cFile `xml:"file"`
	}
	out := checkstyle{Version: "4.3"}
	files := map[string]*cFile{}
	file := func(name string) *cFile {
		if f, ok := files[name]; ok {
			return f
		}
		f := &cFile{Name: name}
		files[name] = f
		out.Files = append(out.Files, f)
		return f
	}
	for _, d := range r.Findings {
		pos := d.Pos()
		f := file(d.Doc.Path)
		f.Errors = append(f.Errors, cError{Line: pos.Line, Column: pos.Column, Severity: d.Severity.String(),
			Message: d.Message, Source: "headroom." + d.Rule.ID})
	}
	for _, err := range r.Errors {
		path, pos, msg := errorLocation(err)
		f := file(path)
		f.Errors = append(f.Errors, cError{Line: pos.Line, Column: pos.Column, Severity: "error", Message: msg, Source: "headroom.parse"})
	}
	return writeXML(w, out)
}

// JUnit writes one test case per finding and per unreadable file, for CI
// systems that only show test reports.
func JUnit(w io.Writer, r *Report) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Failure   *failure `xml:"failure"`
	}
	type testsuite struct {
		Name      string     `xml:"name,attr"`
		Tests     int        `xml:"tests,attr"`
		Failures  int        `xml:"failures,attr"`
		Errors    int        `xml:"errors,attr"`
		Testcases []testcase `xml:"testcase"`
	}
	type testsuites struct {
		XMLName xml.Name    `xml:"testsuites"`
		Suites  []testsuite `xml:"testsuite"`
	}
	suite := testsuite{Name: "headroom", Testcases: []testcase{}}
	for _, d := range r.Findings {
		pos := d.Pos()
		loc := fmt.Sprintf("%s:%d:%d", d.Doc.Path, pos.Line, pos.Column)
		suite.Testcases = append(suite.Testcases, testcase{
			Name: d.Rule.ID + " " + loc, Classname: d.Doc.Path,
			Failure: &failure{Message: d.Message, Type: d.Severity.String(), Text: loc + ": " + d.Rule.ID + " " + d.Message},
		})
		suite.Failures++
	}
	for _, err := range r.Errors {
		path, _, msg := errorLocation(err)
		suite.Testcases = append(suite.Testcases, testcase{
			Name: "parse " + path, Classname: path, Failure: &failure{Message: msg, Type: "error", Text: err.Error()},
		})
		suite.Errors++
	}
	if len(suite.Testcases) == 0 { // a passing run still shows one passing case
		suite.Testcases = append(suite.Testcases, testcase{Name: "headroom lint", Classname: "headroom"})
	}
	suite.Tests = len(suite.Testcases)
	return writeXML(w, testsuites{Suites: []testsuite{suite}})
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// GitLab writes a Code Quality report (a JSON array of issues with
// fingerprints), which merge requests show inline.
func GitLab(w io.Writer, r *Report) error {
	return writeStream(gitlabStream(w), r.Findings, r.Errors)
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

var gitlabSeverity = map[rules.Severity]string{rules.Info: "info", rules.Warning: "minor", rules.Error: "major"}

// gitlabIssueOf is the Code Quality issue of a finding.
func gitlabIssueOf(d rules.Diagnostic) gitlabIssue {
	pos, end := d.Pos(), d.End()
	return gitlabIssue{
		Description: d.Rule.ID + " " + d.Message, CheckName: d.Rule.ID + " " + d.Rule.Name,
		Fingerprint: Fingerprint(d), Severity: gitlabSeverity[d.Severity],
		Location: gitlabLocation{Path: d.Doc.Path, Lines: gitlabLines{Begin: pos.Line, End: end.Line}},
	}
}

// gitlabErrors are the Code Quality issues of unreadable files.
func gitlabErrors(errs []error) []gitlabIssue {
	var out []gitlabIssue
	for _, err := range errs {
		path, pos, msg := errorLocation(err)
		h := sha256.Sum256([]byte(err.Error()))
		out = append(out, gitlabIssue{Description: msg, CheckName: "headroom parse error", Fingerprint: hex.EncodeToString(h[:16]),
			Severity: "blocker", Location: gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(pos.Line, 1), End: max(pos.Line, 1)}}})
	}
	return out
}
