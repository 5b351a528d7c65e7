// Package compose parses docker-compose files with go.yaml.in/yaml/v3,
// keeping the YAML nodes so every value headroom reads or edits has a span.
package compose

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/shell"
)

// File is a parsed compose file.
type File struct {
	Doc      *parsers.Document
	Root     *yaml.Node // the document's top mapping
	Services []*Service
	// Includes are the paths of the top-level `include:` entries, relative
	// to the file's folder.
	Includes []string
	byName   map[string]*Service // the first service of each name
}

// Volume is one entry of a service's volumes.
type Volume struct {
	Source string // host path ("./nginx/default.conf") or volume name; "" for anonymous
	Target string // path in the container
}

func volumes(n *yaml.Node) []Volume {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []Volume
	for _, item := range n.Content {
		item = deref(item)
		switch item.Kind {
		case yaml.ScalarNode:
			parts := strings.Split(item.Value, ":")
			switch len(parts) {
			case 1:
				out = append(out, Volume{Target: parts[0]})
			default:
				out = append(out, Volume{Source: parts[0], Target: parts[1]})
			}
		case yaml.MappingNode:
			v := Volume{}
			if s := lookup(item, "source"); s != nil {
				v.Source = s.Value
			}
			if t := lookup(item, "target"); t != nil {
				v.Target = t.Value
			}
			out = append(out, v)
		}
	}
	return out
}

func envFiles(n *yaml.Node) []string {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode:
		return []string{n.Value}
	case n.Kind == yaml.SequenceNode:
		var out []string
		for _, item := range n.Content {
			item = deref(item)
			if item.Kind == yaml.MappingNode {
				if p := lookup(item, "path"); p != nil {
					out = append(out, p.Value)
				}
				continue
			}
			out = append(out, item.Value)
		}
		return out
	}
	return nil
}

func includes(top *yaml.Node) []string {
	n := lookup(top, "include")
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, item := range n.Content {
		item = deref(item)
		switch item.Kind {
		case yaml.ScalarNode:
			out = append(out, item.Value)
		case yaml.MappingNode:
			if p := lookup(item, "path"); p != nil {
				if p.Kind == yaml.SequenceNode {
					for _, x := range p.Content {
						out = append(out, deref(x).Value)
					}
				} else {
					out = append(out, p.Value)
				}
			}
		}
	}
	return out
}

// Scalar is a YAML scalar with its span (quotes included).
type Scalar struct {
	Value string
	Span  parsers.Span
	Node  *yaml.Node
}

// EnvVar is one entry of a service's environment.
type EnvVar struct {
	Name     string
	Value    string
	HasValue bool // "KEY" alone passes the host's value through
	Span     parsers.Span
}

// Service is one compose service.
type Service struct {
	Name          string
	NameSpan      parsers.Span
	Node          *yaml.Node // the service's mapping
	Image         string
	ContainerName *Scalar
	Build         bool
	// BuildDockerfile is the path of the Dockerfile the service builds,
	// relative to the compose file's folder ("" when it uses an image).
	BuildDockerfile string
	// BuildContext is the build context, relative to the compose file's
	// folder ("" when it uses an image).
	BuildContext string
	Command      *parsers.Argv
	Entrypoint   *parsers.Argv
	Environment  []EnvVar
	// EnvFiles are the env_file paths, relative to the compose file's
	// folder, in order (a later file overrides an earlier one).
	EnvFiles []string
	// Volumes are the bind mounts and named volumes, short or long syntax.
	Volumes []Volume
	// Profiles are the profiles the service belongs to (none: always on).
	Profiles []string
	Replicas *Scalar // deploy.replicas
	Scale    *Scalar // scale (the older form of deploy.replicas)
	CPUs     *Scalar // deploy.resources.limits.cpus, or cpus
	Memory   *Scalar // deploy.resources.limits.memory, or mem_limit
	Aliases  []string
}

// Hostnames are the names other services reach this one by: its name, its
// container_name, its network aliases.
func (s *Service) Hostnames() []string {
	out := []string{s.Name}
	if s.ContainerName != nil {
		out = append(out, s.ContainerName.Value)
	}
	return append(out, s.Aliases...)
}

// Env returns the value of an environment entry.
func (s *Service) Env(name string) (EnvVar, bool) {
	for _, e := range s.Environment {
		if e.Name == name {
			return e, true
		}
	}
	return EnvVar{}, false
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserProblems are the errors of yaml.v3's parser (not its scanner). For
// them it reports the 0-based line of the mark ("line 3" for the fourth
// line), and no line at all on the first; its scanner's lines are 1-based.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// ErrorLine returns the 1-based line a yaml.v3 syntax error is at (1 when
// it names none) and its message without the "yaml: line N: " prefix.
func ErrorLine(err error) (int, string) {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return 1, msg
	}
	n := 0
	if m[1] != "" {
		n, _ = strconv.Atoi(m[1])
	}
	for _, p := range parserProblems {
		if m[2] == p {
			n++ // 0-based, and absent for the first line
			break
		}
	}
	return max(n, 1), m[2]
}

// Parse parses doc. A file that is not a mapping at the top, or whose
// services are not mappings, is an error.
func Parse(doc *parsers.Document) (*File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc.Src, &root); err != nil {
		n, msg := ErrorLine(err)
		// The line may be one past the last (the end of the stream):
		// clamp it.
		pos := doc.Position(doc.Offset(min(n, doc.LineCount()), 1))
		return nil, &parsers.Error{Path: doc.Path, Pos: pos, Msg: "invalid YAML: " + msg}
	}
	f := &File{Doc: doc}
	if len(root.Content) == 0 {
		return f, nil // an empty file has no services
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, f.errorAt(top, "a compose file is a mapping at the top level")
	}
	f.Root = top
	services := lookup(top, "services")
	f.Includes = includes(top)
	if services == nil {
		return f, nil
	}
	if services.Kind != yaml.MappingNode {
		return nil, f.errorAt(services, "services must be a mapping of service names")
	}
	for _, p := range pairs(services) {
		k, v := p[0], deref(p[1])
		if strings.HasPrefix(k.Value, "x-") && v.Kind == yaml.MappingNode && lookup(v, "image") == nil && lookup(v, "build") == nil {
			continue // an extension field where a service would be: not a service
		}
		if v.Kind != yaml.MappingNode {
			if v.Tag == "!!null" {
				continue
			}
			return nil, f.errorAt(v, "service %q must be a mapping", k.Value)
		}
		svc, err := f.service(k, v)
		if err != nil {
			return nil, err
		}
		f.Services = append(f.Services, svc)
	}
	f.byName = make(map[string]*Service, len(f.Services))
	for i := len(f.Services) - 1; i >= 0; i-- {
		f.byName[f.Services[i].Name] = f.Services[i]
	}
	return f, nil
}

// Service returns the service of that name, or nil.
func (f *File) Service(name string) *Service {
	if f.byName != nil {
		return f.byName[name]
	}
	for _, s := range f.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (f *File) service(k, v *yaml.Node) (*Service, error) {
	svc := &Service{Name: k.Value, NameSpan: f.Span(k), Node: v}
	if n := lookup(v, "image"); n != nil {
		svc.Image = n.Value
	}
	if b := lookup(v, "build"); b != nil {
		svc.Build = true
		context, dockerfile := ".", "Dockerfile"
		if b.Kind == yaml.ScalarNode {
			context = b.Value
		} else {
			if n := lookup(b, "context"); n != nil && n.Kind == yaml.ScalarNode {
				context = n.Value
			}
			if n := lookup(b, "dockerfile"); n != nil && n.Kind == yaml.ScalarNode {
				dockerfile = n.Value
			}
		}
		svc.BuildDockerfile = path.Join(context, dockerfile)
		svc.BuildContext = path.Clean(context)
	}
	if n := lookup(v, "container_name"); n != nil && n.Kind == yaml.ScalarNode {
		svc.ContainerName = f.scalar(n)
	}
	var err error
	if svc.Command, err = f.argv(lookup(v, "command")); err != nil {
		return nil, err
	}
	if svc.Entrypoint, err = f.argv(lookup(v, "entrypoint")); err != nil {
		return nil, err
	}
	svc.Environment = f.environment(lookup(v, "environment"))
	if n := lookup(v, "deploy", "replicas"); n != nil && n.Kind == yaml.ScalarNode {
		svc.Replicas = f.scalar(n)
	}
	if n := lookup(v, "scale"); n != nil && n.Kind == yaml.ScalarNode {
		svc.Scale = f.scalar(n)
	}
	if n := lookup(v, "deploy", "resources", "limits", "memory"); n != nil && n.Kind == yaml.ScalarNode {
		svc.Memory = f.scalar(n)
	} else if n := lookup(v, "mem_limit"); n != nil && n.Kind == yaml.ScalarNode {
		svc.Memory = f.scalar(n)
	}
	if n := lookup(v, "deploy", "resources", "limits", "cpus"); n != nil && n.Kind == yaml.ScalarNode {
		svc.CPUs = f.scalar(n)
	} else if n := lookup(v, "cpus"); n != nil && n.Kind == yaml.ScalarNode {
		svc.CPUs = f.scalar(n)
	}
	if nets := lookup(v, "networks"); nets != nil && nets.Kind == yaml.MappingNode {
		for _, p := range pairs(nets) {
			if al := lookup(p[1], "aliases"); al != nil {
				for _, a := range al.Content {
					svc.Aliases = append(svc.Aliases, deref(a).Value)
				}
			}
		}
	}
	svc.EnvFiles = envFiles(lookup(v, "env_file"))
	svc.Volumes = volumes(lookup(v, "volumes"))
	if n := lookup(v, "profiles"); n != nil && n.Kind == yaml.SequenceNode {
		for _, p := range n.Content {
			svc.Profiles = append(svc.Profiles, deref(p).Value)
		}
	}
	return svc, nil
}

// lookup follows a path of mapping keys, through aliases (`*x`) and merge
// keys (`<<: *x`, `<<: [*a, *b]`). The node returned is the one the author
// wrote: for a value that comes from an anchor, the anchor's definition,
// so edits land there and every alias sees them.
func lookup(n *yaml.Node, path ...string) *yaml.Node {
	for _, key := range path {
		n = lookupKey(deref(n), key)
	}
	return deref(n)
}

// deref follows alias nodes to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isMerge(k *yaml.Node) bool { return k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) }

// lookupKey finds key in mapping n: an explicit key wins over merged ones,
// and of several merged mappings the first that has it wins, as YAML's
// merge-key type says.
func lookupKey(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var found, merged *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case isMerge(k):
			if merged != nil {
				continue
			}
			for _, m := range mergeSources(v) {
				if x := lookupKey(m, key); x != nil {
					merged = x
					break
				}
			}
		case k.Value == key:
			found = v
		}
	}
	if found != nil {
		return found
	}
	return merged
}

func mergeSources(v *yaml.Node) []*yaml.Node {
	v = deref(v)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.SequenceNode {
		var out []*yaml.Node
		for _, item := range v.Content {
			if m := deref(item); m != nil && m.Kind == yaml.MappingNode {
				out = append(out, m)
			}
		}
		return out
	}
	if v.Kind == yaml.MappingNode {
		return []*yaml.Node{v}
	}
	return nil
}

// pairs returns a mapping's key/value pairs with merge keys expanded:
// merged pairs first (the first source winning among them), then the
// mapping's own, which override merged keys of the same name.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var own, merged [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			for _, m := range mergeSources(v) {
				for _, p := range pairs(m) {
					if !seen[p[0].Value] {
						seen[p[0].Value] = true
						merged = append(merged, p)
					}
				}
			}
			continue
		}
		own = append(own, [2]*yaml.Node{k, v})
	}
	ownKeys := map[string]bool{}
	for _, p := range own {
		ownKeys[p[0].Value] = true
	}
	var out [][2]*yaml.Node
	for _, p := range merged {
		if !ownKeys[p[0].Value] {
			out = append(out, p)
		}
	}
	return append(out, own...)
}

func (f *File) errorAt(n *yaml.Node, format string, args ...any) error {
	return f.Doc.Errorf(f.offset(n), format, args...)
}

// offset converts a node's line and column (yaml.v3 counts columns in
// characters) to a byte offset.
func (f *File) offset(n *yaml.Node) int {
	start := f.Doc.Offset(n.Line, 1)
	off := start
	src := f.Doc.Src
	for c := 1; c < n.Column && off < len(src); c++ {
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	// An anchored node's position is its `&name`; the value follows it.
	if n.Anchor != "" && n.Kind == yaml.ScalarNode && strings.HasPrefix(string(src[off:min(len(src), off+len(n.Anchor)+1)]), "&"+n.Anchor) {
		off += len(n.Anchor) + 1
		for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
			off++
		}
	}
	return off
}

func (f *File) scalar(n *yaml.Node) *Scalar {
	return &Scalar{Value: n.Value, Span: f.Span(n), Node: n}
}

// Span returns the bytes a scalar node covers as written: quotes included,
// all lines of a multi-line scalar. For collections it covers the first line.
func (f *File) Span(n *yaml.Node) parsers.Span {
	start := f.offset(n)
	src := f.Doc.Src
	if n.Kind != yaml.ScalarNode {
		return parsers.Span{Start: start, End: start}
	}
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if start >= len(src) || (src[start] != '"' && src[start] != '\'') {
			// The node's position is not at its quote (an input yaml.v3
			// positions differently from the line index): an empty span,
			// not a read past the end (found by FuzzCompose).
			return parsers.Span{Start: start, End: start}
		}
		q := src[start]
		i := start + 1
		for i < len(src) {
			if q == '"' && src[i] == '\\' {
				i += 2
				continue
			}
			if src[i] == q {
				if q == '\'' && i+1 < len(src) && src[i+1] == '\'' {
					i += 2
					continue
				}
				return parsers.Span{Start: start, End: i + 1}
			}
			i++
		}
		return parsers.Span{Start: start, End: len(src)}
	case yaml.LiteralStyle, yaml.FoldedStyle:
		_, end := f.blockLines(n)
		return parsers.Span{Start: start, End: end}
	}
	// Plain scalar: one line, or continuation lines indented deeper.
	lines := f.plainLines(n)
	last := lines[len(lines)-1]
	return parsers.Span{Start: start, End: last.End}
}

// plainLines returns the spans of the lines of a plain scalar's text.
func (f *File) plainLines(n *yaml.Node) []parsers.Span {
	start := f.offset(n)
	line := n.Line
	var out []parsers.Span
	first := f.Doc.LineSpan(line)
	out = append(out, parsers.Span{Start: start, End: trimComment(f.Doc.Src, start, first.End)})
	parentIndent := len(f.Doc.Indentation(start))
	for l := line + 1; l <= f.Doc.LineCount() && strings.Contains(n.Value, " "); l++ {
		ls := f.Doc.LineSpan(l)
		text := f.Doc.Text(ls)
		trimmed := strings.TrimLeft(text, " \t")
		indent := len(text) - len(trimmed)
		if trimmed == "" || indent <= parentIndent || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "- ") {
			break
		}
		if strings.Contains(strings.SplitN(trimmed, " #", 2)[0], ": ") {
			break // a mapping key, not a continuation
		}
		out = append(out, parsers.Span{Start: ls.Start + indent, End: trimComment(f.Doc.Src, ls.Start+indent, ls.End)})
	}
	// Stop once the collected text covers the value.
	total := 0
	for i, s := range out {
		total += s.Len()
		if i > 0 {
			total++
		}
		if total >= len(n.Value) {
			return out[:i+1]
		}
	}
	return out
}

func trimComment(src []byte, start, end int) int {
	for i := start; i < end; i++ {
		if src[i] == '#' && i > start && (src[i-1] == ' ' || src[i-1] == '\t') {
			end = i
			break
		}
	}
	for end > start && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	return end
}

// blockLines returns the spans of the content lines of a | or > scalar and
// the offset where the scalar ends.
func (f *File) blockLines(n *yaml.Node) ([]parsers.Span, int) {
	var out []parsers.Span
	end := f.Doc.LineSpan(n.Line).End
	indent := -1
	parentIndent := len(f.Doc.Indentation(f.offset(n)))
	for l := n.Line + 1; l <= f.Doc.LineCount(); l++ {
		ls := f.Doc.LineSpan(l)
		text := f.Doc.Text(ls)
		trimmed := strings.TrimLeft(text, " \t")
		if trimmed == "" {
			continue
		}
		ind := len(text) - len(trimmed)
		if indent < 0 {
			if ind <= parentIndent {
				break
			}
			indent = ind
		}
		if ind < indent {
			break
		}
		out = append(out, parsers.Span{Start: ls.Start + indent, End: ls.End})
		end = ls.End
	}
	return out, end
}

func (f *File) environment(n *yaml.Node) []EnvVar {
	if n == nil {
		return nil
	}
	var out []EnvVar
	switch n.Kind {
	case yaml.MappingNode:
		for _, p := range pairs(n) {
			k, v := p[0], deref(p[1])
			e := EnvVar{Name: k.Value, Value: v.Value, HasValue: v.Tag != "!!null", Span: f.Span(v)}
			out = append(out, e)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			item = deref(item)
			name, value, ok := strings.Cut(item.Value, "=")
			sp := f.Span(item)
			e := EnvVar{Name: name, Value: value, HasValue: ok, Span: sp}
			if ok && item.Style == 0 { // plain "KEY=value": the value's own bytes
				e.Span = parsers.Span{Start: sp.Start + len(name) + 1, End: sp.End}
			}
			out = append(out, e)
		}
	}
	return out
}

// argv reads a command or entrypoint: a string (split as compose splits it,
// by shell words), or a list (flow or block).
func (f *File) argv(n *yaml.Node) (*parsers.Argv, error) {
	if n == nil || n.Tag == "!!null" {
		return nil, nil
	}
	a := &parsers.Argv{Doc: f.Doc}
	switch n.Kind {
	case yaml.ScalarNode:
		a.Form = parsers.FormShell
		a.Span = f.Span(n)
		text, spans, ok := f.scalarText(n)
		if !ok {
			return nil, nil // not mapped onto its bytes: not modelled, never edited
		}
		if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
			a.Scalar = f.Doc.Src[a.Span.Start]
		}
		cmds, err := shell.Commands(text)
		if err != nil {
			return nil, f.errorAt(n, "command is not a valid shell command line: %v", err)
		}
		if len(cmds) == 0 {
			return nil, nil
		}
		c := cmds[0]
		for _, w := range c.Words {
			a.Words = append(a.Words, parsers.Word{Value: w.Value, Quote: w.Quote, Span: parsers.Span{Start: spans[w.Start].Start, End: spans[w.End-1].End}})
		}
		switch {
		case c.AppendAt >= len(spans):
			a.AppendAt = spans[len(spans)-1].End
		case c.AppendAt > 0:
			a.AppendAt = spans[c.AppendAt-1].End
		default:
			a.AppendAt = spans[0].Start
		}
	case yaml.SequenceNode:
		a.Form = parsers.FormYAMLBlock
		if n.Style&yaml.FlowStyle != 0 {
			a.Form = parsers.FormExec
		}
		start := f.offset(n)
		for _, item := range n.Content {
			item = deref(item)
			if item.Kind != yaml.ScalarNode {
				return nil, f.errorAt(item, "command items must be strings")
			}
			var q byte
			switch item.Style {
			case yaml.DoubleQuotedStyle:
				q = '"'
			case yaml.SingleQuotedStyle:
				q = '\''
			}
			a.Words = append(a.Words, parsers.Word{Value: item.Value, Span: f.Span(item), Quote: q})
		}
		end := start
		if len(a.Words) > 0 {
			end = a.Words[len(a.Words)-1].Span.End
		}
		a.AppendAt = end
		if a.Form == parsers.FormExec {
			for end < len(f.Doc.Src) && f.Doc.Src[end] != ']' {
				end++
			}
			end++
		}
		a.Span = parsers.Span{Start: start, End: min(end, len(f.Doc.Src))}
	default:
		return nil, f.errorAt(n, "command must be a string or a list")
	}
	return a, nil
}

// scalarText returns a scalar's value as a shell line and, for each of its
// bytes, the span of source bytes it was read from: one byte for a plain
// character, the whole escape (`\x32`, or a doubled single quote) or line
// fold for the others.
// ok is false when the value cannot be mapped back onto the source (its
// words could not be edited in place).
func (f *File) scalarText(n *yaml.Node) (text string, spans []parsers.Span, ok bool) {
	sp := f.Span(n)
	src := f.Doc.Src
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if sp.Len() < 2 {
			return "", nil, false
		}
		b, spans := decodeQuoted(src, sp, n.Style == yaml.DoubleQuotedStyle)
		if string(b) != n.Value {
			return "", nil, false
		}
		return string(b), spans, true
	}
	var lines []parsers.Span
	sep := byte(' ')
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		lines, _ = f.blockLines(n)
		if n.Style == yaml.LiteralStyle {
			sep = '\n'
		}
	default:
		lines = f.plainLines(n)
	}
	var b []byte
	for i, l := range lines {
		if i > 0 {
			b = append(b, sep)
			spans = append(spans, parsers.Span{Start: lines[i-1].End, End: l.Start})
		}
		for o := l.Start; o < l.End; o++ {
			b = append(b, src[o])
			spans = append(spans, parsers.Span{Start: o, End: o + 1})
		}
	}
	if string(b) != strings.TrimRight(n.Value, "\n") {
		return "", nil, false
	}
	return string(b), spans, true
}

// decodeQuoted reads a double- or single-quoted YAML scalar written at sp
// (quotes included) as YAML does, returning its value and the source span
// of each value byte. Line breaks fold: the white space around a break
// goes, one break becomes a space, each further break a newline; `\` at
// the end of a line (double quotes) joins the lines with nothing.
func decodeQuoted(src []byte, sp parsers.Span, double bool) ([]byte, []parsers.Span) {
	var out []byte
	var spans []parsers.Span
	emit := func(b []byte, start, end int) {
		for _, c := range b {
			out = append(out, c)
			spans = append(spans, parsers.Span{Start: start, End: end})
		}
	}
	isBreak := func(i int) int { // length of a line break at i, 0 if none
		switch {
		case i+1 < sp.End && src[i] == '\r' && src[i+1] == '\n':
			return 2
		case src[i] == '\r' || src[i] == '\n':
			return 1
		}
		return 0
	}
	blank := func(c byte) bool { return c == ' ' || c == '\t' }
	i, end := sp.Start+1, sp.End-1
	for i < end {
		c := src[i]
		// White space then a line break: fold.
		if blank(c) || isBreak(i) > 0 {
			j := i
			for j < end && blank(src[j]) {
				j++
			}
			if j < end && isBreak(j) > 0 {
				foldStart := i
				breaks := 0
				for j < end {
					if k := isBreak(j); k > 0 {
						breaks++
						j += k
						for j < end && blank(src[j]) {
							j++
						}
						continue
					}
					break
				}
				if breaks == 1 {
					emit([]byte{' '}, foldStart, j)
				} else {
					for k := 1; k < breaks; k++ {
						emit([]byte{'\n'}, foldStart, j)
					}
				}
				i = j
				continue
			}
			emit([]byte{c}, i, i+1)
			i++
			continue
		}
		if !double {
			if c == '\'' && i+1 < end && src[i+1] == '\'' {
				emit([]byte{'\''}, i, i+2)
				i += 2
				continue
			}
			emit([]byte{c}, i, i+1)
			i++
			continue
		}
		if c != '\\' || i+1 >= end {
			emit([]byte{c}, i, i+1)
			i++
			continue
		}
		e := src[i+1]
		if k := isBreak(i + 1); k > 0 { // an escaped line break joins lines
			j := i + 1 + k
			for j < end && blank(src[j]) {
				j++
			}
			i = j
			continue
		}
		simple := map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}
		if r, ok := simple[e]; ok {
			emit([]byte(r), i, i+2)
			i += 2
			continue
		}
		width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
		if width == 0 || i+2+width > end {
			emit([]byte{c}, i, i+1) // not valid YAML; the caller's check fails
			i++
			continue
		}
		v, err := strconv.ParseUint(string(src[i+2:i+2+width]), 16, 32)
		if err != nil {
			emit([]byte{c}, i, i+1)
			i++
			continue
		}
		emit([]byte(string(rune(v))), i, i+2+width)
		i += 2 + width
	}
	return out, spans
}
