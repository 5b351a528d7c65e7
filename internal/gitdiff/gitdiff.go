// Package gitdiff finds the lines changed since a git revision, so a
// project can adopt headroom on new changes first.
package gitdiff

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Changes maps an absolute file path to its changed line ranges; a nil
// slice means the whole file is new.
type Changes map[string][]Range

// Range is an inclusive range of 1-based line numbers.
type Range struct{ From, To int }

// Since returns the lines changed in the work tree (staged or not) since
// rev, plus untracked files, which are wholly new. dir is any folder inside
// the repository.
func Since(dir, rev string) (Changes, error) {
	top, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	root := strings.TrimSpace(string(top))
	if _, err := git(dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--changed-since %s: not a commit in this repository", rev)
	}
	out, err := git(root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", rev, "--")
	if err != nil {
		return nil, err
	}
	ch := parse(root, out)
	untracked, err := git(root, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	for _, p := range bytes.Split(untracked, []byte{0}) {
		if len(p) > 0 {
			ch[filepath.Join(root, string(p))] = nil
		}
	}
	return ch, nil
}

var hunk = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@`)

// parse reads `git diff --unified=0` output: the +++ line names the file,
// each hunk header the new side's lines.
func parse(root string, diff []byte) Changes {
	ch := Changes{}
	var file string
	sc := bufio.NewScanner(bytes.NewReader(diff))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			name := strings.TrimPrefix(line, "+++ ")
			if name == "/dev/null" {
				file = ""
				continue
			}
			file = filepath.Join(root, strings.TrimPrefix(name, "b/"))
			if _, ok := ch[file]; !ok {
				ch[file] = []Range{}
			}
		case file != "" && strings.HasPrefix(line, "@@ "):
			m := hunk.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			start, _ := strconv.Atoi(m[1])
			n := 1
			if m[2] != "" {
				n, _ = strconv.Atoi(m[2])
			}
			if n == 0 {
				// Only deletions: the finding about what is now missing sits
				// on the line before or after.
				ch[file] = append(ch[file], Range{max(start, 1), start + 1})
				continue
			}
			ch[file] = append(ch[file], Range{start, start + n - 1})
		}
	}
	return ch
}

// Covers reports whether line of the file at path changed.
func (c Changes) Covers(path string, line int) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	ranges, ok := c[abs]
	if !ok {
		return false
	}
	if ranges == nil {
		return true // a new file
	}
	for _, r := range ranges {
		if line >= r.From && line <= r.To {
			return true
		}
	}
	return false
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}
