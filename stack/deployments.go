package stack

import (
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

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
// folder holds one. Files beneath neither join the deployment when there
// is only one, else form one deployment together. A
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
	// A repository whose one deployment lives in a folder (docker/ with
	// the Dockerfile and the production settings) keeps the rest of its
	// code beside it (settings/ with the base module the production
	// settings import): those files belong to that deployment, not to one
	// of their own judged without the image that loads them. With two
	// deployments or more nothing says whose they are, and they stay
	// together apart.
	roots := map[string]bool{}
	for _, m := range ms {
		if a := anchor(m.path); a != "" {
			roots[find(a)] = true
		}
	}
	loose := ""
	if len(roots) == 1 {
		for r := range roots {
			loose = r
		}
	}
	groups := map[string]int{}
	var out [][]int
	for i, m := range ms {
		key := loose
		if a := anchor(m.path); a != "" {
			key = find(a)
		}
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
	var out []*Stack
	skipped, errs := EachDeployment(paths, maxSize, opt, func(s *Stack) *Stack { return s }, func(s *Stack, _ string) { out = append(out, s) })
	if len(out) == 0 {
		out = append(out, New(nil))
	}
	out[0].Skipped = append(skipped, out[0].Skipped...)
	return out, errs
}

// Window is how many deployments past the oldest one not yet handed on
// EachDeployment reads and lints: a slow deployment holds up at most this
// many finished ones behind it.
func Window() int { return 4 * runtime.GOMAXPROCS(0) }

// EachDeployment discovers the files under paths, splits them into
// deployments as LoadDeployments does, and calls fn on each deployment's
// Stack, on up to GOMAXPROCS deployments at a time. A deployment's files
// are read and parsed when its turn comes, and nothing of them is kept
// once fn returns but what fn returns: memory follows the largest
// deployment, not the tree.
//
// It hands fn's results to emit, on the caller's goroutine, in
// LoadDeployments' order (by each deployment's first file) as soon as every
// deployment before it is done; at most Window deployments are in hand at
// once. With each result comes before: no deployment still to come has a
// file whose path (slash-separated, as File.Doc.Path) sorts before it; ""
// when none is to come. A caller that sorts by path can write what sorts
// before it. It returns the templates it skipped, and the discovery errors
// followed by the files that could not be read or parsed, in path order. A
// deployment none of whose files loads is not passed to fn.
func EachDeployment[R any](paths []string, maxSize int64, opt DiscoverOptions, fn func(*Stack) R, emit func(r R, before string)) ([]Skipped, []error) {
	cands, tree, errs := DiscoverTree(paths, opt)
	cands, ms, fails := members(cands, paths, maxSize)
	// A deployment is handed on in the order of its first file that loads;
	// the first that has not failed yet is where it can begin at the
	// earliest. Groups are linted in that order.
	groups := group(ms)
	low := make([]int, len(groups))
	for g, members := range groups {
		low[g] = len(cands)
		for _, i := range members {
			if fails[i] == nil {
				low[g] = i
				break
			}
		}
	}
	order := make([]int, len(groups))
	for g := range order {
		order[g] = g
	}
	sort.SliceStable(order, func(a, b int) bool { return low[order[a]] < low[order[b]] })
	lint := func(k int) (handed[R], int) {
		members := groups[order[k]]
		files := make([]*File, len(members))
		parallel.Each(len(members), func(j int) {
			i := members[j]
			if fails[i] == nil {
				files[j], fails[i] = readOne(cands[i], maxSize)
			}
		})
		first := -1
		loaded := files[:0]
		for j, f := range files {
			if f != nil {
				if first < 0 {
					first = members[j]
				}
				loaded = append(loaded, f)
			}
		}
		if first < 0 {
			return handed[R]{k: k}, -1
		}
		s := New(loaded)
		s.Tree = tree
		return handed[R]{k: k, r: fn(s)}, first
	}
	rest := remaining(ms, groups)
	ordered(len(groups), Window(), func(k int) int { return low[order[k]] }, lint, func(d handed[R]) {
		emit(d.r, rest(order[d.k]))
	})
	skipped, fails := skips(fails)
	return skipped, append(errs, fails...)
}

// handed is fn's result on the k-th group in linting order.
type handed[R any] struct {
	k int
	r R
}

// remaining returns a function that marks group g handed on and returns the
// least path of the files of the groups not handed on yet, "" when there
// are none. Groups whose files all fail count too: that only holds back.
func remaining(ms []member, groups [][]int) func(g int) string {
	least := make([]int, len(groups)) // groups by their least path
	first := make([]string, len(groups))
	for g, members := range groups {
		least[g] = g
		for j, i := range members {
			if j == 0 || ms[i].path < first[g] {
				first[g] = ms[i].path
			}
		}
	}
	sort.Slice(least, func(a, b int) bool { return first[least[a]] < first[least[b]] })
	done := make([]bool, len(groups))
	at := 0
	return func(g int) string {
		done[g] = true
		for at < len(least) && done[least[at]] {
			at++
		}
		if at == len(least) {
			return ""
		}
		return first[least[at]]
	}
}

// members reads what grouping needs of each candidate. Compose files and
// Dockerfiles decide where deployments begin, which join, and which nginx
// files they mount or copy under names discovery does not know (those join
// cands, in path order): they are read first, what grouping needs is kept,
// and they are read again with their deployment rather than held
// meanwhile. A file that cannot be read or parsed gets its error in fails
// and anchors no deployment.
func members(cands []Candidate, paths []string, maxSize int64) ([]Candidate, []member, []error) {
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
	return cands, ms, fails
}

// ordered calls work(0) ... work(n-1) on up to GOMAXPROCS goroutines.
// work returns a result and its key, -1 to drop it; low(i) is a lower bound
// of work(i)'s key, and rises with i. Results go to emit on the caller's
// goroutine in key order, each as soon as no item still running or to come
// can have a smaller key. Item i starts only once fewer than window items
// before it are unfinished or waiting to be handed on (or none is running),
// so a slow item keeps at most window results waiting behind it.
func ordered[T any](n, window int, low func(int) int, work func(int) (T, int), emit func(T)) {
	type done struct {
		i, key int
		v      T
	}
	var pending []done // finished, not handed on; by key
	finished := make([]bool, n)
	next := 0 // the first item not finished
	take := func(d done) {
		finished[d.i] = true
		for next < n && finished[next] {
			next++
		}
		if d.key >= 0 {
			at := sort.Search(len(pending), func(j int) bool { return pending[j].key > d.key })
			pending = slices.Insert(pending, at, d)
		}
		for len(pending) > 0 && (next == n || pending[0].key < low(next)) {
			emit(pending[0].v)
			pending = pending[1:]
		}
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			v, key := work(i)
			take(done{i, key, v})
		}
		return
	}
	jobs := make(chan int)
	results := make(chan done, window)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				v, key := work(i)
				results <- done{i, key, v}
			}
		})
	}
	running := 0
	for i := 0; i < n; {
		// Nothing running: a waiting result needs a later item to go on.
		if running == 0 || i-next+len(pending) < window {
			select {
			case jobs <- i:
				i++
				running++
			case d := <-results:
				running--
				take(d)
			}
			continue
		}
		running--
		take(<-results)
	}
	close(jobs)
	for next < n {
		take(<-results)
	}
	wg.Wait()
}
