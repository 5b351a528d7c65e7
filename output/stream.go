package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/headroom-dev/headroom/rules"
)

// Stream writes one report in one format as its findings come: Add takes
// the next findings in output order, Close the errors, and writes what
// follows them (errors, totals). The bytes are those Write writes for the
// same findings and errors, however the findings are split among Adds.
// Text, json, github and gitlab write each finding as it is added; sarif,
// whose run lists the errors before the results, renders each result as it
// is added and keeps the bytes (in a temporary file past a few MiB) until
// Close; checkstyle (findings grouped by file with the errors) and junit
// (totals first) keep each finding as the element it becomes (a few
// strings, not the finding) and write at Close.
type Stream interface {
	Add(ds []rules.Diagnostic) error
	Close(errs []error) error
}

// NewStream starts the named format's report on w; r gives the rules, the
// version and the text style (its findings and errors are not read).
func NewStream(w io.Writer, format string, r *Report) (Stream, error) {
	switch format {
	case "text":
		return &textStream{w: w, style: r.Style}, nil
	case "github":
		return &githubStream{w: w}, nil
	case "json":
		return jsonStream(w), nil
	case "gitlab":
		return gitlabStream(w), nil
	case "sarif":
		return newSARIFStream(w, r), nil
	case "checkstyle":
		return &checkstyleStream{w: w}, nil
	case "junit":
		return newJUnitStream(w), nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// arrayStream writes a JSON value that holds an array of one element per
// finding (then one per error, if more makes them), as json.Encoder with a
// two-space indent writes it: head, the array at depth indent, then what
// tail renders of the errors.
type arrayStream[T any] struct {
	w      io.Writer
	head   string
	indent string // the array's own indent
	of     func(rules.Diagnostic) T
	more   func(errs []error) []T                            // elements after the findings'
	tail   func(indent string, errs []error) ([]byte, error) // what follows the array
	n      int
}

func (s *arrayStream[T]) Add(ds []rules.Diagnostic) error {
	var b bytes.Buffer
	for _, d := range ds {
		if err := s.element(&b, s.of(d)); err != nil {
			return err
		}
	}
	return flush(s.w, &b)
}

// element renders one more element of the array into b.
func (s *arrayStream[T]) element(b *bytes.Buffer, v T) error {
	if s.n == 0 {
		b.WriteString(s.head + "[\n" + s.indent + "  ")
	} else {
		b.WriteString(",\n" + s.indent + "  ")
	}
	el, err := json.MarshalIndent(v, s.indent+"  ", "  ")
	if err != nil {
		return err
	}
	b.Write(el)
	s.n++
	return nil
}

func (s *arrayStream[T]) Close(errs []error) error {
	var b bytes.Buffer
	if s.more != nil {
		for _, v := range s.more(errs) {
			if err := s.element(&b, v); err != nil {
				return err
			}
		}
	}
	if s.n == 0 {
		b.WriteString(s.head + "[]")
	} else {
		b.WriteString("\n" + s.indent + "]")
	}
	if s.tail != nil {
		rest, err := s.tail(s.indent, errs)
		if err != nil {
			return err
		}
		b.Write(rest)
	}
	b.WriteString("\n")
	return flush(s.w, &b)
}

// jsonStream writes the JSON report as findings come.
func jsonStream(w io.Writer) Stream {
	return &arrayStream[jsonFinding]{w: w, head: fmt.Sprintf("{\n  \"version\": %d,\n  \"findings\": ", JSONVersion),
		indent: "  ", of: jsonFindingOf, tail: jsonTail}
}

// gitlabStream writes the Code Quality report as findings come.
func gitlabStream(w io.Writer) Stream {
	return &arrayStream[gitlabIssue]{w: w, of: gitlabIssueOf, more: gitlabErrors}
}

// jsonTail is what follows the JSON report's findings: its errors and the
// closing brace.
func jsonTail(indent string, errs []error) ([]byte, error) {
	out := []jsonError{}
	for _, err := range errs {
		path, pos, msg := errorLocation(err)
		out = append(out, jsonError{Path: path, Line: pos.Line, Column: pos.Column, Message: msg})
	}
	b, err := json.MarshalIndent(out, indent, "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(",\n"+indent+"\"errors\": "), b...), "\n}"...), nil
}

// spoolMemory is how much a spool keeps in memory before it moves to a
// temporary file.
var spoolMemory = 4 << 20

// spool keeps bytes to write later: in memory, then in a temporary file
// once they pass spoolMemory (in memory still if no file can be made).
type spool struct {
	mem  bytes.Buffer
	file *os.File
	buf  *bufio.Writer // on file
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) > spoolMemory {
		if f, err := os.CreateTemp("", "headroom-*.spool"); err == nil {
			os.Remove(f.Name()) // gone with the last descriptor
			if _, err := s.mem.WriteTo(f); err != nil {
				f.Close()
				return 0, err
			}
			s.file, s.buf = f, bufio.NewWriterSize(f, 64<<10)
		}
	}
	if s.file != nil {
		return s.buf.Write(p)
	}
	return s.mem.Write(p)
}

// CopyTo writes what was spooled to w.
func (s *spool) CopyTo(w io.Writer) error {
	if s.file == nil {
		_, err := s.mem.WriteTo(w)
		return err
	}
	if err := s.buf.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

// Close drops what was spooled.
func (s *spool) Close() {
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
	s.mem.Reset()
}
