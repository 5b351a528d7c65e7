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
	return writeStream(&checkstyleStream{w: w}, r.Findings, r.Errors)
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

// checkstyleStream keeps each finding as the element it becomes, grouped
// by file, and writes the report at Close, when the errors join their
// files.
type checkstyleStream struct {
	w      io.Writer
	files  []*checkstyleFile
	byName map[string]*checkstyleFile
}

func (s *checkstyleStream) file(name string) *checkstyleFile {
	if f, ok := s.byName[name]; ok {
		return f
	}
	if s.byName == nil {
		s.byName = map[string]*checkstyleFile{}
	}
	f := &checkstyleFile{Name: name}
	s.byName[name] = f
	s.files = append(s.files, f)
	return f
}

func (s *checkstyleStream) Add(ds []rules.Diagnostic) error {
	for _, d := range ds {
		pos := d.Pos()
		f := s.file(d.Doc.Path)
		f.Errors = append(f.Errors, checkstyleError{Line: pos.Line, Column: pos.Column, Severity: d.Severity.String(),
			Message: d.Message, Source: "headroom." + d.Rule.ID})
	}
	return nil
}

func (s *checkstyleStream) Close(errs []error) error {
	for _, err := range errs {
		path, pos, msg := errorLocation(err)
		f := s.file(path)
		f.Errors = append(f.Errors, checkstyleError{Line: pos.Line, Column: pos.Column, Severity: "error", Message: msg, Source: "headroom.parse"})
	}
	type checkstyle struct {
		XMLName xml.Name          `xml:"checkstyle"`
		Version string            `xml:"version,attr"`
		Files   []*checkstyleFile `xml:"file"`
	}
	return writeXML(s.w, checkstyle{Version: "4.3", Files: s.files})
}

// JUnit writes one test case per finding and per unreadable file, for CI
// systems that only show test reports.
func JUnit(w io.Writer, r *Report) error {
	return writeStream(newJUnitStream(w), r.Findings, r.Errors)
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Testcases []junitCase `xml:"testcase"`
}

func newJUnitStream(w io.Writer) *junitStream {
	return &junitStream{w: w, suite: junitSuite{Name: "headroom", Testcases: []junitCase{}}}
}

// junitStream keeps each finding as the test case it becomes and writes
// the report, whose totals come first, at Close.
type junitStream struct {
	w     io.Writer
	suite junitSuite
}

func (s *junitStream) Add(ds []rules.Diagnostic) error {
	for _, d := range ds {
		pos := d.Pos()
		loc := fmt.Sprintf("%s:%d:%d", d.Doc.Path, pos.Line, pos.Column)
		s.suite.Testcases = append(s.suite.Testcases, junitCase{
			Name: d.Rule.ID + " " + loc, Classname: d.Doc.Path,
			Failure: &junitFailure{Message: d.Message, Type: d.Severity.String(), Text: loc + ": " + d.Rule.ID + " " + d.Message},
		})
		s.suite.Failures++
	}
	return nil
}

func (s *junitStream) Close(errs []error) error {
	suite := &s.suite
	for _, err := range errs {
		path, _, msg := errorLocation(err)
		suite.Testcases = append(suite.Testcases, junitCase{
			Name: "parse " + path, Classname: path, Failure: &junitFailure{Message: msg, Type: "error", Text: err.Error()},
		})
		suite.Errors++
	}
	if len(suite.Testcases) == 0 { // a passing run still shows one passing case
		suite.Testcases = append(suite.Testcases, junitCase{Name: "headroom lint", Classname: "headroom"})
	}
	suite.Tests = len(suite.Testcases)
	type testsuites struct {
		XMLName xml.Name     `xml:"testsuites"`
		Suites  []junitSuite `xml:"testsuite"`
	}
	return writeXML(s.w, testsuites{Suites: []junitSuite{*suite}})
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
