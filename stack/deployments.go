package stack

import (
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/internal/parallel"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
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
	ms := make([]member, len(files))
	for i, f := range files {
		ms[i] = member{path: f.Doc.Path, kind: f.Doc.Kind}
		if f.Compose != nil {
			ms[i].refs = composeRefs(f.Compose)
		}
	}
	var out [][]*File
	for _, g := range group(ms) {
		fs := make([]*File, len(g))
		for j, i := range g {
			fs[j] = files[i]
		}
		out = append(out, fs)
	}
	return out
}

// member is what splitting files into deployments reads of one file: its
// path and kind, and for a compose file the paths it builds, mounts or
// reads an env file from, as written.
type member struct {
	path string
	kind parsers.Kind
	refs []string
}

// composeRefs are the paths a compose file's services build, mount or
// read an env file from, as written.
func composeRefs(c *compose.File) []string {
	var refs []string
	for _, svc := range c.Services {
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
	return refs
}

// group splits members into deployments (see Deployments): the indices of
// each deployment's members in order, deployments in the order of their
// first member.
func group(ms []member) [][]int {
	composeDirs, dockerDirs := map[string]bool{}, map[string]bool{}
	for _, m := range ms {
		dir := path.Dir(path.Clean(m.path))
		switch m.kind {
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
	for _, m := range ms {
		if len(m.refs) == 0 {
			continue
		}
		own := anchor(m.path)
		dir := path.Dir(path.Clean(m.path))
		for _, r := range m.refs {
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
	var out [][]int
	for i, m := range ms {
		key := find(anchor(m.path))
		g, ok := groups[key]
		if !ok {
			g = len(out)
			groups[key] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
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
	out, skipped, errs := EachDeployment(paths, maxSize, opt, func(s *Stack) *Stack { return s })
	if len(out) == 0 {
		out = append(out, New(nil))
	}
	out[0].Skipped = append(skipped, out[0].Skipped...)
	return out, errs
}

// EachDeployment discovers the files under paths, splits them into
// deployments as LoadDeployments does, and calls fn on each deployment's
// Stack, on up to GOMAXPROCS deployments at a time. A deployment's files
// are read and parsed when its turn comes, and nothing of them is kept
// once fn returns but what fn returns: memory follows the largest
// deployment, not the tree.
//
// It returns fn's results in LoadDeployments' order (by each deployment's
// first file), the templates it skipped, and the discovery errors followed
// by the files that could not be read or parsed, in path order. A
// deployment none of whose files loads is not passed to fn.
func EachDeployment[R any](paths []string, maxSize int64, opt DiscoverOptions, fn func(*Stack) R) ([]R, []Skipped, []error) {
	cands, tree, errs := DiscoverTree(paths, opt)
	// Compose files and Dockerfiles decide where deployments begin, which
	// join, and which nginx files they mount or copy under names discovery
	// does not know: read them first, keep what grouping needs, and read
	// them again with their deployment rather than hold every one meanwhile.
	heads := make([]*File, len(cands))
	headErrs := make([]error, len(cands))
	parallel.Each(len(cands), func(i int) {
		if k := cands[i].Kind; k == parsers.KindCompose || k == parsers.KindDockerfile {
			heads[i], headErrs[i] = readOne(cands[i], maxSize)
		}
	})
	var read []*File
	for _, f := range heads {
		if f != nil {
			read = append(read, f)
		}
	}
	if more := referencedNginx(cands, read, paths); len(more) > 0 {
		type entry struct {
			c    Candidate
			head *File
			err  error
		}
		es := make([]entry, 0, len(cands)+len(more))
		for i, c := range cands {
			es = append(es, entry{c, heads[i], headErrs[i]})
		}
		for _, c := range more {
			es = append(es, entry{c: c})
		}
		sort.SliceStable(es, func(a, b int) bool { return es[a].c.Path < es[b].c.Path })
		cands, heads, headErrs = make([]Candidate, len(es)), make([]*File, len(es)), make([]error, len(es))
		for i, e := range es {
			cands[i], heads[i], headErrs[i] = e.c, e.head, e.err
		}
	}
	read = nil
	fails := make([]error, len(cands))
	ms := make([]member, len(cands))
	for i, c := range cands {
		ms[i] = member{path: filepath.ToSlash(c.Path), kind: c.Kind}
		switch {
		case headErrs[i] != nil:
			fails[i] = headErrs[i]
			ms[i].kind = parsers.KindUnknown // anchors no deployment
		case heads[i] != nil && heads[i].Compose != nil:
			ms[i].refs = composeRefs(heads[i].Compose)
		}
	}
	heads, headErrs = nil, nil
	groups := group(ms)
	type result struct {
		r     R
		first int // the index of the deployment's first file; -1: none loaded
	}
	results := make([]result, len(groups))
	parallel.Each(len(groups), func(g int) {
		members := groups[g]
		files := make([]*File, len(members))
		parallel.Each(len(members), func(j int) {
			i := members[j]
			if fails[i] == nil {
				files[j], fails[i] = readOne(cands[i], maxSize)
			}
		})
		results[g].first = -1
		loaded := files[:0]
		for j, f := range files {
			if f != nil {
				if results[g].first < 0 {
					results[g].first = members[j]
				}
				loaded = append(loaded, f)
			}
		}
		if len(loaded) > 0 {
			s := New(loaded)
			s.Tree = tree
			results[g].r = fn(s)
		}
	})
	sort.SliceStable(results, func(a, b int) bool { return results[a].first < results[b].first })
	var out []R
	for _, r := range results {
		if r.first >= 0 {
			out = append(out, r.r)
		}
	}
	skipped, fails := skips(fails)
	return out, skipped, append(errs, fails...)
}
