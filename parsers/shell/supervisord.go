package shell

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// programSection matches the header of a supervisord program section,
// `[program:web]` (http://supervisord.org/configuration.html#program-x-section-settings).
var programSection = regexp.MustCompile(`(?m)^\[program:[^\]]+\][ \t]*\r?$`)

// IsSupervisord reports whether the file at p, starting with head, is a
// supervisord configuration: an .conf or .ini file (supervisord.conf,
// /etc/supervisor/conf.d/*.conf) with a [program:x] section.
func IsSupervisord(p string, head []byte) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/")))
	if !strings.HasSuffix(base, ".conf") && !strings.HasSuffix(base, ".ini") {
		return false
	}
	return programSection.Match(head)
}

// ParseSupervisord reads the command= lines of a supervisord
// configuration's [program:x] sections as lines of a script, at their byte
// offsets in the file; everything else is blanked. supervisord splits
// command with shlex and runs it without a shell
// (http://supervisord.org/configuration.html: "command ... can be
// absolute or relative ... no shell"), so word splitting is the same as the
// shell's for the commands headroom reads. A program is left out, on
// purpose, when its command cannot be read as written:
//   - it holds a %(name)s expansion (%(ENV_X)s, %(here)s, %(process_num)s),
//     whose value is supervisord's, not the file's;
//   - it continues on an indented line (an INI continuation);
//   - the section sets numprocs to anything but 1: that many copies of the
//     program run, which the model of one command per process tree does
//     not count.
//
// An inline comment (`;` after whitespace, supervisord 3.0+) ends the value.
func ParseSupervisord(doc *parsers.Document) (*Script, error) {
	src := doc.Src
	masked := bytes.Repeat([]byte{' '}, len(src))
	for i, c := range src {
		if c == '\n' {
			masked[i] = c // a CR is blanked: the shell parser would read it as part of a word
		}
	}
	type span struct{ start, end int }
	var (
		inProgram bool
		command   *span
		skip      bool
	)
	flush := func() {
		if inProgram && command != nil && !skip {
			copy(masked[command.start:command.end], src[command.start:command.end])
		}
		command, skip = nil, false
	}
	off := 0
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := bytes.TrimRight(src[off:end], "\r")
		trimmed := bytes.TrimSpace(line)
		switch {
		case len(trimmed) == 0 || trimmed[0] == ';' || trimmed[0] == '#':
		case bytes.HasPrefix(line, []byte("[")):
			flush()
			inProgram = programSection.Match(line)
		case line[0] == ' ' || line[0] == '\t':
			// A continuation of the previous key's value (checked where
			// the command starts).
		default:
			k := bytes.IndexAny(line, "=:")
			if k < 0 {
				break
			}
			key := string(bytes.ToLower(bytes.TrimSpace(line[:k])))
			val := line[k+1:]
			vstart := off + k + 1
			if c := inlineComment(val); c >= 0 {
				val = val[:c]
			}
			lead := len(val) - len(bytes.TrimLeft(val, " \t"))
			val = bytes.TrimSpace(val)
			switch key {
			case "command":
				command = &span{start: vstart + lead, end: vstart + lead + len(val)}
				if bytes.Contains(val, []byte("%(")) {
					skip = true
				}
				if next := end + 1; next < len(src) && (src[next] == ' ' || src[next] == '\t') && len(bytes.TrimSpace(firstLine(src[next:]))) > 0 {
					skip = true
				}
			case "numprocs":
				if string(val) != "1" {
					skip = true
				}
			}
		}
		off = end + 1
	}
	flush()
	return parseMasked(doc, masked)
}

// inlineComment is the offset of a `;` that starts a comment in an INI
// value (preceded by whitespace), or -1.
func inlineComment(v []byte) int {
	for i := 1; i < len(v); i++ {
		if v[i] == ';' && (v[i-1] == ' ' || v[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}
