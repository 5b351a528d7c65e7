package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/output"
	"github.com/headroom-dev/headroom/rules"
)

// merger holds back the findings of finished deployments until no
// deployment still to come can have a finding that sorts before them: a
// finding's path is one of its own deployment's files, so what sorts before
// the least path of every deployment to come is final.
type merger struct{ held []rules.Diagnostic }

// add takes a deployment's findings, sorted (driver.Sort), and before, the
// least path of the deployments still to come ("" for none), and returns
// the findings that can be written now, in order.
func (m *merger) add(ds []rules.Diagnostic, before string) []rules.Diagnostic {
	// Findings of one path come from one deployment, so sorting the held
	// ones after ds keeps equal findings in their deployment's order.
	m.held = append(m.held, ds...)
	driver.Sort(m.held)
	n := len(m.held)
	if before != "" {
		n = sort.Search(len(m.held), func(i int) bool { return m.held[i].Doc.Path >= before })
	}
	out := m.held[:n:n]
	m.held = append([]rules.Diagnostic(nil), m.held[n:]...)
	return out
}

// formatStream is one requested output being written as findings come: to
// stdout, or to its file. Its first error is kept and returned by close.
type formatStream struct {
	s     output.Stream
	file  *os.File
	buf   *bufio.Writer
	where string // "stdout", or the file's path
	fmt   string
	err   error
}

// openStreams starts every requested output. A file that cannot be
// created is that output's error, returned by its close.
func openStreams(outs []formatOut, stdout io.Writer, rep *output.Report) ([]*formatStream, error) {
	var streams []*formatStream
	for _, o := range outs {
		fs := &formatStream{where: "stdout", fmt: o.format}
		w := stdout
		if o.path != "" {
			fs.where = o.path
			f, err := os.Create(o.path)
			if err != nil {
				fs.err = err
				streams = append(streams, fs)
				continue
			}
			fs.file, fs.buf = f, bufio.NewWriter(f)
			w = fs.buf
		}
		s, err := output.NewStream(w, o.format, rep)
		if err != nil {
			return nil, err
		}
		fs.s = s
		streams = append(streams, fs)
	}
	return streams, nil
}

// add writes findings, unless an earlier write failed.
func (fs *formatStream) add(ds []rules.Diagnostic) {
	if fs.err == nil {
		fs.err = fs.s.Add(ds)
	}
}

// close writes the errors and what ends the output, and closes its file.
func (fs *formatStream) close(errs []error) error {
	if fs.err == nil {
		fs.err = fs.s.Close(errs)
	}
	if fs.file != nil {
		if err := fs.buf.Flush(); fs.err == nil {
			fs.err = err
		}
		if err := fs.file.Close(); fs.err == nil {
			fs.err = err
		}
	}
	if fs.err != nil {
		return fmt.Errorf("writing the %s output to %s: %w", fs.fmt, fs.where, fs.err)
	}
	return nil
}
