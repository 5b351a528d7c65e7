package shell

import (
	"path"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// IsProcfile reports whether p names a Procfile (Heroku, Dokku, honcho,
// foreman): one `type: command` line per process type.
func IsProcfile(p string) bool {
	base := path.Base(strings.ReplaceAll(p, `\`, "/"))
	return base == "Procfile" || strings.HasPrefix(base, "Procfile.")
}

var procType = regexp.MustCompile(`(?m)^[ \t]*[A-Za-z0-9_-]+[ \t]*:`)

// ParseProcfile parses a Procfile: each line's command is read as a line of
// a script (the shell runs it), with byte offsets into the file; the
// `type:` prefix is not part of it.
func ParseProcfile(doc *parsers.Document) (*Script, error) {
	src := append([]byte(nil), doc.Src...)
	for _, m := range procType.FindAllIndex(src, -1) {
		for i := m[0]; i < m[1]; i++ {
			src[i] = ' '
		}
	}
	return parseMasked(doc, src)
}

// parseMasked parses src, doc's text with the parts that are not shell
// blanked or rewritten at the same offsets, as a script, and points the
// script and its commands at doc, so findings and edits land in the file.
func parseMasked(doc *parsers.Document, src []byte) (*Script, error) {
	s, err := ParseScript(parsers.NewDocument(doc.Path, doc.Kind, src))
	if err != nil {
		return nil, err
	}
	s.Doc = doc
	for i := range s.Commands {
		s.Commands[i].Doc = doc
	}
	return s, nil
}
