// Package output renders findings and errors for people (text) and machines
// (json). It knows nothing of how findings are made.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/rules"
)

// Report is what one run found: the findings, the files that could not be
// read or parsed, and the rules that ran (SARIF describes them).
type Report struct {
	Findings []rules.Diagnostic
	Errors   []error
	Rules    []*rules.Rule
	Version  string    // headroom's version
	Style    TextStyle // how the text format looks
}

// Formats are the values --format takes.
var Formats = []string{"text", "json", "sarif", "github", "checkstyle", "junit", "gitlab"}

// Known reports whether format names a renderer.
func Known(format string) bool { return slices.Contains(Formats, format) }

// Write renders r in the named format.
func Write(w io.Writer, format string, r *Report) error {
	s, err := NewStream(w, format, r)
	if err != nil {
		return err
	}
	return writeStream(s, r.Findings, r.Errors)
}

// errorLocation splits an input error into its path, position and message.
func errorLocation(err error) (string, parsers.Position, string) {
	var pe *parsers.Error
	if errors.As(err, &pe) {
		return pe.Path, pe.Pos, pe.Msg
	}
	return "", parsers.Position{}, err.Error()
}

// TextStyle chooses how text output looks.
type TextStyle struct {
	Color bool // ANSI colours (only on a terminal, never with NO_COLOR)
	Quiet bool // findings and errors only, no summary line
}

// Text writes one line per finding, `path:line:col: ID message [*]`, its
// related locations indented below it, errors, then a summary line.
func Text(w io.Writer, ds []rules.Diagnostic, errs []error) error {
	return TextStyled(w, ds, errs, TextStyle{})
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// TextStyled is Text with a style.
func TextStyled(w io.Writer, ds []rules.Diagnostic, errs []error, st TextStyle) error {
	return writeStream(&textStream{w: w, style: st}, ds, errs)
}

// writeStream adds ds to s and closes it with errs.
func writeStream(s Stream, ds []rules.Diagnostic, errs []error) error {
	if err := s.Add(ds); err != nil {
		return err
	}
	return s.Close(errs)
}

// textStream writes the text format as findings come, counting what the
// summary line needs.
type textStream struct {
	w          io.Writer
	style      TextStyle
	n, fixable int
	bySeverity map[rules.Severity]int
}

func (s *textStream) paint(code, str string) string {
	if !s.style.Color {
		return str
	}
	return code + str + ansiReset
}

func (s *textStream) Add(ds []rules.Diagnostic) error {
	// The findings added are rendered whole, then written once: the one
	// write's error is theirs.
	var b bytes.Buffer
	if s.bySeverity == nil {
		s.bySeverity = map[rules.Severity]int{}
	}
	paint := s.paint
	for _, d := range ds {
		pos := d.Pos()
		mark := ""
		if d.SafeFix() != nil {
			mark = " " + paint(ansiCyan, "[*]")
			s.fixable++
		}
		s.bySeverity[d.Severity]++
		s.n++
		color := map[rules.Severity]string{rules.Error: ansiRed, rules.Warning: ansiYellow, rules.Info: ansiCyan}[d.Severity]
		fmt.Fprintf(&b, "%s %s %s%s\n", paint(ansiBold, fmt.Sprintf("%s:%d:%d:", parsers.ShowPath(d.Doc.Path), pos.Line, pos.Column)), paint(color, d.Rule.ID), d.Message, mark)
		for _, r := range d.Related {
			rp := r.Doc.Position(r.Span.Start)
			fmt.Fprintf(&b, "    %s\n", paint(ansiDim, fmt.Sprintf("%s:%d:%d: %s", parsers.ShowPath(r.Doc.Path), rp.Line, rp.Column, r.Message)))
		}
	}
	return flush(s.w, &b)
}

func (s *textStream) Close(errs []error) error {
	var b bytes.Buffer
	for _, err := range errs {
		fmt.Fprintf(&b, "%s\n", s.paint(ansiRed, err.Error()))
	}
	if s.style.Quiet {
		return flush(s.w, &b)
	}
	switch {
	case s.n == 0 && len(errs) == 0:
		// Quiet when all is well, as a pre-commit hook should be.
	case s.n == 0:
		fmt.Fprintf(&b, "%s.\n", text.Count(len(errs), "file could not be read", "files could not be read"))
	default:
		fmt.Fprintf(&b, "Found %s", text.Count(s.n, "finding", "findings"))
		if len(s.bySeverity) > 1 {
			var parts []string
			for _, sev := range []rules.Severity{rules.Error, rules.Warning, rules.Info} {
				if n := s.bySeverity[sev]; n > 0 {
					parts = append(parts, text.Count(n, sev.String(), sev.String()+"s"))
				}
			}
			fmt.Fprintf(&b, ": %s", strings.Join(parts, ", "))
		}
		if s.fixable > 0 {
			fmt.Fprintf(&b, " (%d fixable with `headroom fix`)", s.fixable)
		}
		if len(errs) > 0 {
			fmt.Fprintf(&b, "; %s", text.Count(len(errs), "file could not be read", "files could not be read"))
		}
		fmt.Fprintln(&b, ".")
	}
	return flush(s.w, &b)
}

// flush writes what was rendered into b to w.
func flush(w io.Writer, b *bytes.Buffer) error {
	_, err := w.Write(b.Bytes())
	return err
}

// JSONVersion is the version of the JSON output's shape; it changes only
// when a field is removed or changes meaning.
const JSONVersion = 1

type jsonFinding struct {
	Rule      string        `json:"rule"`
	Name      string        `json:"name"`
	Phase     int           `json:"phase"`
	Severity  string        `json:"severity"`
	Path      string        `json:"path"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"end_line"`
	EndColumn int           `json:"end_column"`
	Message   string        `json:"message"`
	Fixable   bool          `json:"fixable"`
	Related   []jsonRelated `json:"related"`
}

type jsonRelated struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonError struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// JSON writes the stable machine-readable report.
func JSON(w io.Writer, ds []rules.Diagnostic, errs []error) error {
	return writeStream(jsonStream(w), ds, errs)
}

// jsonFindingOf is the JSON report's element for d.
func jsonFindingOf(d rules.Diagnostic) jsonFinding {
	pos, end := d.Pos(), d.End()
	f := jsonFinding{
		Rule: d.Rule.ID, Name: d.Rule.Name, Phase: d.Rule.Phase, Severity: d.Severity.String(),
		Path: d.Doc.Path, Line: pos.Line, Column: pos.Column, EndLine: end.Line, EndColumn: end.Column,
		Message: d.Message, Fixable: d.SafeFix() != nil, Related: []jsonRelated{},
	}
	for _, r := range d.Related {
		rp := r.Doc.Position(r.Span.Start)
		f.Related = append(f.Related, jsonRelated{Path: r.Doc.Path, Line: rp.Line, Column: rp.Column, Message: r.Message})
	}
	return f
}
