package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/headroom-dev/headroom/rules"
)

// HelpURI is where each rule's documentation is published; the docs are
// generated from the registry into docs/rules/.
const HelpURI = "https://github.com/headroom-dev/headroom/blob/main/docs/rules/"

// SARIF writes a SARIF 2.1.0 log: one run, the rules that ran as
// tool.driver.rules, each finding with its location, related locations and
// fixes (byte-offset replacements), and unreadable files as tool execution
// notifications.
func SARIF(w io.Writer, r *Report) error {
	return writeStream(newSARIFStream(w, r), r.Findings, r.Errors)
}

// sarifStream renders each result as it comes and keeps the rendered
// bytes (in a spool) until Close, since the run lists its invocation, with
// the errors, before its results.
type sarifStream struct {
	w           io.Writer
	version     string
	index       map[*rules.Rule]int
	driverRules []any
	results     spool
	n           int
}

func newSARIFStream(w io.Writer, r *Report) *sarifStream {
	s := &sarifStream{w: w, version: r.Version, index: map[*rules.Rule]int{}, driverRules: []any{}}
	for i, rule := range r.Rules {
		s.index[rule] = i
		s.driverRules = append(s.driverRules, sarifRule(rule))
	}
	return s
}

// sarifResultIndent is the indent of a result in the log: log, runs, run,
// results.
const sarifResultIndent = "        "

func (s *sarifStream) Add(ds []rules.Diagnostic) error {
	for _, d := range ds {
		if _, ok := s.index[d.Rule]; !ok { // a finding of a rule not listed: list it
			s.index[d.Rule] = len(s.driverRules)
			s.driverRules = append(s.driverRules, sarifRule(d.Rule))
		}
		b, err := json.MarshalIndent(sarifResult(d, s.index[d.Rule]), sarifResultIndent, "  ")
		if err != nil {
			return err
		}
		sep := ",\n" + sarifResultIndent
		if s.n == 0 {
			sep = "\n" + sarifResultIndent
		}
		if _, err := s.results.Write(append([]byte(sep), b...)); err != nil {
			return err
		}
		s.n++
	}
	return nil
}

func (s *sarifStream) Close(errs []error) error {
	defer s.results.Close()
	notes := []any{}
	for _, err := range errs {
		path, pos, msg := errorLocation(err)
		n := map[string]any{"level": "error", "message": map[string]any{"text": msg}}
		if path != "" {
			n["locations"] = []any{sarifLocation(path, pos.Line, pos.Column, 0, 0)}
		}
		notes = append(notes, n)
	}
	version := s.version
	if version == "" {
		version = "devel"
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name":           "headroom",
				"version":        version,
				"informationUri": "https://github.com/headroom-dev/headroom",
				"rules":          s.driverRules,
			}},
			"invocations": []any{map[string]any{
				"executionSuccessful":        len(errs) == 0,
				"toolExecutionNotifications": notes,
			}},
			"columnKind": "unicodeCodePoints",
			"results":    []any{},
		}},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return err
	}
	if s.n == 0 {
		return flush(s.w, &b)
	}
	// The results go where the log has none: the one key "results" (keys
	// and their quotes are never escaped; quotes inside strings are).
	const empty = "\n      \"results\": []"
	head, tail, ok := bytes.Cut(b.Bytes(), []byte(empty))
	if !ok {
		return fmt.Errorf("sarif: no place for the results in the log")
	}
	if _, err := fmt.Fprintf(s.w, "%s\n      \"results\": [", head); err != nil {
		return err
	}
	if err := s.results.CopyTo(s.w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.w, "\n      ]%s", tail)
	return err
}

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Info:
		return "note"
	}
	return "warning"
}

func sarifRule(r *rules.Rule) map[string]any {
	return map[string]any{
		"id":                   r.ID,
		"name":                 r.Name,
		"shortDescription":     map[string]any{"text": r.Doc.Title},
		"fullDescription":      map[string]any{"text": r.Doc.Why},
		"helpUri":              HelpURI + r.ID + ".md",
		"defaultConfiguration": map[string]any{"level": sarifLevel(r.Severity)},
		"properties":           map[string]any{"phase": r.Phase, "fixable": r.Fixable},
	}
}

func sarifLocation(path string, line, col, endLine, endCol int) map[string]any {
	region := map[string]any{}
	if line > 0 {
		region["startLine"] = line
		region["startColumn"] = col
		if endLine > 0 {
			region["endLine"] = endLine
			region["endColumn"] = endCol
		}
	}
	loc := map[string]any{"artifactLocation": map[string]any{"uri": path}}
	if len(region) > 0 {
		loc["region"] = region
	}
	return map[string]any{"physicalLocation": loc}
}

func sarifResult(d rules.Diagnostic, ruleIndex int) map[string]any {
	pos, end := d.Pos(), d.End()
	res := map[string]any{
		"ruleId":    d.Rule.ID,
		"ruleIndex": ruleIndex,
		"level":     sarifLevel(d.Severity),
		"message":   map[string]any{"text": d.Message},
		"locations": []any{sarifLocation(d.Doc.Path, pos.Line, pos.Column, end.Line, end.Column)},
		"partialFingerprints": map[string]any{
			"headroom/v1": Fingerprint(d),
		},
	}
	if len(d.Related) > 0 {
		var related []any
		for i, r := range d.Related {
			rp, re := r.Doc.Position(r.Span.Start), r.Doc.Position(r.Span.End)
			loc := sarifLocation(r.Doc.Path, rp.Line, rp.Column, re.Line, re.Column)
			loc["id"] = i + 1
			loc["message"] = map[string]any{"text": r.Message}
			related = append(related, loc)
		}
		res["relatedLocations"] = related
	}
	if len(d.Fixes) > 0 {
		var fixes []any
		for _, f := range d.Fixes {
			byPath := map[string][]any{}
			var order []string
			for _, e := range f.Edits {
				if _, seen := byPath[e.Path]; !seen {
					order = append(order, e.Path)
				}
				byPath[e.Path] = append(byPath[e.Path], map[string]any{
					"deletedRegion":   map[string]any{"byteOffset": e.Span.Start, "byteLength": e.Span.Len()},
					"insertedContent": map[string]any{"text": e.New},
				})
			}
			var changes []any
			for _, p := range order {
				changes = append(changes, map[string]any{"artifactLocation": map[string]any{"uri": p}, "replacements": byPath[p]})
			}
			desc := f.Message
			if desc == "" {
				desc = d.Message
			}
			if f.Applicability == rules.Unsafe {
				desc += " (unsafe fix: changes behaviour)"
			}
			fixes = append(fixes, map[string]any{"description": map[string]any{"text": desc}, "artifactChanges": changes})
		}
		res["fixes"] = fixes
	}
	return res
}
