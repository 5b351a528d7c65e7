// Package edit is the vocabulary of changes to a file and their builders:
// TextEdit (a byte replacement), Apply and Validate, unified diffs, and the
// format-aware builders rules call to change a value where its author wrote
// it (argv words, nginx directives, Python dicts, Django settings). It reads
// parsed files; it knows nothing of rules or of how fixes are chosen.
package edit

import "github.com/headroom-dev/headroom/parsers"

// TextEdit replaces the bytes of Span in the file at Path with New. An empty
// span inserts.
type TextEdit struct {
	Path string
	Span parsers.Span
	New  string
}
