package stack

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/headroom-dev/headroom/parsers"
)

// maxReferencedFiles bounds the files one mounted or copied folder adds.
const maxReferencedFiles = 256

// ReferencedNginx returns the nginx configuration files the deployment puts
// where nginx reads them, found the way the deployment finds them: a
// compose bind mount or a Dockerfile COPY/ADD into /etc/nginx or
// OpenResty's conf folder, whatever the file is called in the repository
// (.docker/nginx.conf.nginx mounted as conf.d/default.conf). Only files
// files does not hold already, inside one of roots (the folders being
// linted), that exist as regular files and whose text reads as nginx
// configuration (parsers.LooksNginx: a mounted folder also holds
// certificates and password files). base is joined before each path to
// reach the file system ("" when paths are usable as they are); the
// candidates' paths are like files' own.
func ReferencedNginx(files []*File, roots []string, base string) []Candidate {
	if len(roots) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, f := range files {
		have[path.Clean(f.Doc.Path)] = true
	}
	s := &Stack{Files: files}
	isDir := func(p string) bool {
		info, err := os.Stat(filepath.Join(base, filepath.FromSlash(p)))
		return err == nil && info.IsDir()
	}
	inTree := func(p string) bool {
		for _, r := range roots {
			if !outside(path.Clean(filepath.ToSlash(r)), p) {
				return true
			}
		}
		return false
	}
	var out []Candidate
	seen := map[string]bool{}
	consider := func(p string) {
		p = path.Clean(p)
		if have[p] || seen[p] || !inTree(p) {
			return
		}
		seen[p] = true
		disk := filepath.Join(base, filepath.FromSlash(p))
		info, err := os.Lstat(disk)
		if err != nil || !info.Mode().IsRegular() || info.Size() > MaxFileSize {
			return
		}
		if parsers.LooksNginx(head(disk)) {
			out = append(out, Candidate{Path: p, Kind: parsers.KindNginx})
		}
	}
	// Build contexts from compose once, not per Dockerfile: files is the
	// whole tree here, not one deployment.
	contexts := map[string]string{}
	for _, f := range files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if svc.BuildDockerfile == "" {
				continue
			}
			want := path.Join(path.Dir(f.Doc.Path), svc.BuildDockerfile)
			if _, ok := contexts[want]; !ok {
				contexts[want] = path.Join(path.Dir(f.Doc.Path), svc.BuildContext)
			}
		}
	}
	contextOf := func(d *File) string {
		if c, ok := contexts[path.Clean(d.Doc.Path)]; ok {
			return c
		}
		return path.Dir(d.Doc.Path)
	}
	for _, m := range append(s.composeNginxMounts(), s.nginxCopies(isDir, contextOf)...) {
		if !isDir(m.src) {
			consider(m.src)
			continue
		}
		n := 0
		_ = filepath.WalkDir(filepath.Join(base, filepath.FromSlash(m.src)), func(q string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case d.IsDir():
				if SkipsFolder(d.Name()) {
					return fs.SkipDir
				}
				return nil
			case n >= maxReferencedFiles:
				return fs.SkipAll
			}
			n++
			rel, err := filepath.Rel(filepath.Join(base, filepath.FromSlash(m.src)), q)
			if err == nil {
				consider(path.Join(m.src, filepath.ToSlash(rel)))
			}
			return nil
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
