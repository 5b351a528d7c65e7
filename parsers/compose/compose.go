// Package compose parses docker-compose files with go.yaml.in/yaml/v3,
// keeping the YAML nodes so every value has a span.
package compose

import (
	"errors"

	"github.com/headroom-dev/headroom/parsers"
)

// File is a parsed compose file.
type File struct {
	Doc      *parsers.Document
	Services []*Service
}

// Service is one compose service.
type Service struct {
	Name       string
	Image      string
	Command    *parsers.Argv
	Entrypoint *parsers.Argv
}

// Hostnames are the names other services reach this one by.
func (s *Service) Hostnames() []string { return []string{s.Name} }

// Parse parses doc.
func Parse(doc *parsers.Document) (*File, error) { return nil, errors.New("compose: not built yet") }
