// Package dockerfile parses Dockerfiles with BuildKit's parser.
package dockerfile

import (
	"errors"

	"github.com/headroom-dev/headroom/parsers"
)

// File is a parsed Dockerfile.
type File struct{ Doc *parsers.Document }

// Parse parses doc.
func Parse(doc *parsers.Document) (*File, error) { return nil, errors.New("dockerfile: not built yet") }

// Commands returns the argv of the final stage's ENTRYPOINT and CMD.
func (f *File) Commands() []parsers.Argv { return nil }
