// Package nginx parses nginx configuration with gonginx and gives every
// directive and block byte spans.
package nginx

import (
	"errors"

	"github.com/headroom-dev/headroom/parsers"
)

// File is a parsed nginx configuration file.
type File struct{ Doc *parsers.Document }

// Parse parses doc.
func Parse(doc *parsers.Document) (*File, error) { return nil, errors.New("nginx: not built yet") }
