// Package requirements reads which versions of Python packages a project
// pins or allows, from requirements*.txt, requirements/*.txt,
// pyproject.toml (PEP 621 and Poetry) and lock files (poetry.lock, uv.lock).
package requirements

import (
	"bufio"
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/headroom-dev/headroom/parsers"
)

// Version is a dotted release number; nil means unknown.
type Version []int

// Known reports whether any number was read.
func (v Version) Known() bool { return len(v) > 0 }

// AtLeast reports whether v >= want, comparing missing parts as zero.
func (v Version) AtLeast(want ...int) bool {
	for i, w := range want {
		var have int
		if i < len(v) {
			have = v[i]
		}
		if have != w {
			return have > w
		}
	}
	return true
}

func (v Version) String() string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

// Requirement is what one file says about one package. Version is the
// lowest version the file allows (the pin, or the lower bound of a range),
// so "at least X" questions are answered conservatively; nil when nothing
// bounds it from below.
type Requirement struct {
	Name    string
	Version Version
	// Exact says the file allows only Version: "==" or "===" with no
	// wildcard, or a lock file's entry. Only then does Version bound the
	// package from above too.
	Exact bool
	Doc   *parsers.Document
	Line  int
}

// File is the packages one file names.
type File struct {
	Packages map[string]Requirement
}

// Normalize folds a distribution name as PEP 503 does.
func Normalize(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	return separators.ReplaceAllString(name, "-")
}

// separators are the runs of characters PEP 503 normalizes to one "-".
var separators = regexp.MustCompile(`[-_.]+`)

// spec matches a PEP 508 requirement's name, extras and first version
// clause: "Django[argon2]>=5.1,<6", "psycopg==3.2.1", "gunicorn ~= 23.0".
var spec = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:\(?\s*(===|==|>=|~=|>|\^|~)?\s*v?([0-9][0-9.]*)([^,;\s)]*))?`)

// Parse reads doc by its file name.
func Parse(doc *parsers.Document) (*File, error) {
	f := &File{Packages: map[string]Requirement{}}
	switch base := path.Base(doc.Path); {
	case strings.HasSuffix(base, ".txt"):
		f.parseTxt(doc)
		return f, nil
	case base == "pyproject.toml":
		return f, f.parsePyproject(doc)
	default: // poetry.lock, uv.lock
		return f, f.parseLock(doc)
	}
}

func (f *File) add(doc *parsers.Document, line int, req string) {
	m := spec.FindStringSubmatch(req)
	if m == nil {
		return
	}
	r := Requirement{Name: Normalize(m[1]), Doc: doc, Line: line}
	if m[2] != ">" && m[3] != "" { // "> 5.0" says nothing exact about the floor
		r.Version = parseVersion(m[3])
		// "==5.0.*" and "==5.0.1rc1" are not one release headroom can name.
		r.Exact = (m[2] == "==" || m[2] == "===") && m[4] == "" && r.Version.Known()
	}
	f.Packages[r.Name] = r
}

func parseVersion(s string) Version {
	var v Version
	for _, part := range strings.Split(strings.Trim(s, "."), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			break
		}
		v = append(v, n)
	}
	return v
}

func (f *File) parseTxt(doc *parsers.Document) {
	sc := bufio.NewScanner(bytes.NewReader(doc.Src))
	sc.Buffer(nil, len(doc.Src)+1)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.Index(text, " #"); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "-") {
			continue // comments and options (-r, -e, --hash) name no pinned package
		}
		f.add(doc, line, text)
	}
}

func (f *File) parsePyproject(doc *parsers.Document) error {
	var p struct {
		Project struct {
			Dependencies         []string            `toml:"dependencies"`
			OptionalDependencies map[string][]string `toml:"optional-dependencies"`
		} `toml:"project"`
		Tool struct {
			Poetry struct {
				Dependencies map[string]any `toml:"dependencies"`
			} `toml:"poetry"`
		} `toml:"tool"`
	}
	if err := toml.Unmarshal(doc.Src, &p); err != nil {
		return tomlError(doc, err)
	}
	for _, d := range p.Project.Dependencies {
		f.add(doc, 0, d)
	}
	for name, v := range p.Tool.Poetry.Dependencies {
		switch v := v.(type) {
		case string:
			f.add(doc, 0, name+v)
		case map[string]any:
			if s, ok := v["version"].(string); ok {
				f.add(doc, 0, name+s)
			}
		}
	}
	return nil
}

func (f *File) parseLock(doc *parsers.Document) error {
	var lock struct {
		Package []struct {
			Name    string `toml:"name"`
			Version string `toml:"version"`
		} `toml:"package"`
	}
	if err := toml.Unmarshal(doc.Src, &lock); err != nil {
		return tomlError(doc, err)
	}
	for _, p := range lock.Package {
		f.add(doc, 0, p.Name+"=="+p.Version)
	}
	return nil
}

func tomlError(doc *parsers.Document, err error) error {
	if de, ok := err.(*toml.DecodeError); ok {
		row, col := de.Position()
		return &parsers.Error{Path: doc.Path, Pos: parsers.Position{Line: row, Column: col}, Msg: de.Error()}
	}
	return &parsers.Error{Path: doc.Path, Msg: err.Error()}
}
