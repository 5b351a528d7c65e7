package stack

import (
	"path"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
)

// Deployments splits files into the deployments they belong to, so a
// monorepo of services is judged one service at a time: services do not
// share a connection budget, an ASGI command in one does not make another
// ASGI, and each stack's cross-file work stays proportional to its own
// size, not the repository's.
//
// A compose file's folder holds a deployment with everything beneath it
// (the nearest such folder wins). Beneath no compose file, a Dockerfile's
// folder holds one. Files beneath neither form one deployment together. A
// compose file that builds, mounts or reads an env file from another
// deployment's folder joins that deployment, so a top-level compose file
// with `build: ./services/api` still sees the API's Dockerfile.
func Deployments(files []*File) [][]*File {
	composeDirs, dockerDirs := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		dir := path.Dir(path.Clean(f.Doc.Path))
		switch f.Doc.Kind {
		case parsers.KindCompose:
			composeDirs[dir] = true
		case parsers.KindDockerfile:
			dockerDirs[dir] = true
		}
	}
	anchor := func(p string) string {
		if a, ok := nearest(p, composeDirs); ok {
			return a
		}
		if a, ok := nearest(p, dockerDirs); ok {
			return a
		}
		return ""
	}
	// Union-find over anchors, so references across folders merge them.
	parent := map[string]string{}
	var find func(string) string
	find = func(a string) string {
		if p, ok := parent[a]; ok && p != a {
			r := find(p)
			parent[a] = r
			return r
		}
		parent[a] = a
		return a
	}
	union := func(a, b string) { parent[find(a)] = find(b) }
	for _, f := range files {
		if f.Compose == nil {
			continue
		}
		own := anchor(f.Doc.Path)
		dir := path.Dir(path.Clean(f.Doc.Path))
		var refs []string
		for _, svc := range f.Compose.Services {
			if svc.BuildDockerfile != "" {
				refs = append(refs, svc.BuildDockerfile)
			}
			refs = append(refs, svc.EnvFiles...)
			for _, v := range svc.Volumes {
				if strings.HasPrefix(v.Source, ".") || strings.HasPrefix(v.Source, "/") {
					refs = append(refs, v.Source)
				}
			}
		}
		for _, r := range refs {
			target := path.Join(dir, r)
			if path.IsAbs(r) {
				target = path.Clean(r)
			}
			// The referenced path's own deployment, if it has one apart
			// from this compose file's.
			if other := anchor(path.Join(target, "x")); other != own && other != "" {
				union(own, other)
			} else if other := anchor(target); other != own && other != "" {
				union(own, other)
			}
		}
	}
	groups := map[string]int{}
	var out [][]*File
	for _, f := range files {
		key := find(anchor(f.Doc.Path))
		i, ok := groups[key]
		if !ok {
			i = len(out)
			groups[key] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], f)
	}
	return out
}

// nearest returns the deepest folder of set that holds p.
func nearest(p string, set map[string]bool) (string, bool) {
	dir := path.Dir(path.Clean(p))
	for {
		if set[dir] {
			return dir, true
		}
		up := path.Dir(dir)
		if up == dir {
			return "", false
		}
		dir = up
	}
}

// LoadDeployments discovers, reads and parses everything under paths, and
// returns one Stack per deployment (see Deployments). Files that cannot be
// read or parsed are errors; the other files still load.
func LoadDeployments(paths []string, maxSize int64, opt DiscoverOptions) ([]*Stack, []error) {
	files, tree, skipped, errs := load(paths, maxSize, opt)
	var out []*Stack
	for _, group := range Deployments(files) {
		s := New(group)
		s.Tree = tree
		out = append(out, s)
	}
	if len(out) == 0 {
		out = append(out, New(nil))
	}
	out[0].Skipped = append(skipped, out[0].Skipped...)
	return out, errs
}
