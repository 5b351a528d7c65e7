// Package python parses Django settings modules with tree-sitter's Python
// grammar. It never imports or runs them.
package python

import (
	"errors"

	"github.com/headroom-dev/headroom/parsers"
)

// Module is a parsed settings module.
type Module struct{ Doc *parsers.Document }

// Parse parses doc.
func Parse(doc *parsers.Document) (*Module, error) { return nil, errors.New("python: not built yet") }
