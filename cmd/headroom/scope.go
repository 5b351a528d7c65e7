package main

import (
	"os"
	"path/filepath"

	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/rules"
)

// scope is what a run reads and what it reports on. A file named on the
// command line is judged in its deployment: the folder it belongs to is
// read whole (so the model knows every unit, budget and serving mode), and
// only the findings located in the named files are reported, and only
// fixes that edit nothing but the named files applied.
type scope struct {
	// load are the paths to read: each folder argument, and for each file
	// argument its deployment's folder and the file itself (read even
	// where discovery would pass it by).
	load []string
	// named are the named files as the loaded documents name them
	// (slash-separated); nil when only folders are named.
	named map[string]bool
	// stdin is the path the file on standard input stands for, as the
	// loaded documents name it ("" when none).
	stdin string
}

// scopeOf is the scope of the path arguments.
func scopeOf(args []string) scope {
	var sc scope
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			sc.load = append(sc.load, p)
		}
	}
	var files []string
	for _, a := range paths(args) {
		info, err := os.Stat(a)
		if err != nil || info.IsDir() {
			add(a) // a folder, or an error discovery reports
			continue
		}
		root := config.DeploymentRoot(a)
		name := filepath.Clean(a)
		if root != "" {
			if rel, err := filepath.Rel(absOr(root), absOr(a)); err == nil {
				name = filepath.Join(root, rel)
			}
			add(root)
		}
		if sc.named == nil {
			sc.named = map[string]bool{}
		}
		sc.named[filepath.ToSlash(name)] = true
		files = append(files, name)
	}
	for _, f := range files {
		add(f)
	}
	return sc
}

// stdinScope is the scope of a file read from standard input as if it were
// at name: its deployment's folder and the name, which need not exist.
func stdinScope(name string) scope {
	sc := scope{named: map[string]bool{}}
	path := filepath.Clean(name)
	if root := config.DeploymentRoot(name); root != "" {
		if rel, err := filepath.Rel(absOr(root), absOr(name)); err == nil {
			path = filepath.Join(root, rel)
		}
		sc.load = append(sc.load, root)
	}
	sc.load = append(sc.load, path)
	sc.stdin = filepath.ToSlash(path)
	sc.named[sc.stdin] = true
	return sc
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// reports says whether a finding is one the scope reports: every finding
// when only folders are named, else those located in a named file.
func (sc scope) reports(d rules.Diagnostic) bool {
	return sc.named == nil || sc.named[d.Doc.Path]
}

// keep returns the findings the scope reports.
func (sc scope) keep(ds []rules.Diagnostic) []rules.Diagnostic {
	if sc.named == nil {
		return ds
	}
	out := ds[:0:0]
	for _, d := range ds {
		if sc.reports(d) {
			out = append(out, d)
		}
	}
	return out
}

// editable says whether a fix may edit the file at path: any file when only
// folders are named, else the named files only.
func (sc scope) editable(path string) bool {
	return sc.named == nil || sc.named[path]
}
