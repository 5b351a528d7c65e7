package stack

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/dockerfile"
	"github.com/headroom-dev/headroom/parsers/nginx"
)

// nginxPrefix is the configuration prefix of nginx in the official image
// and in Debian's and Ubuntu's packages: relative include paths and
// /etc/nginx/... name files under it.
const nginxPrefix = "/etc/nginx"

// NginxHost says which nginx.conf runs a conf.d or sites snippet, as far
// as the stack tells.
type NginxHost int

const (
	// HostUnknown: nothing in view says where the snippet lands.
	HostUnknown NginxHost = iota
	// HostInView: a whole nginx.conf of the stack includes it.
	HostInView
	// HostOfficialImage: mounted or copied into the official nginx image's
	// /etc/nginx/conf.d (or templates), whose nginx.conf leaves gzip off.
	HostOfficialImage
	// HostDebian: a Debian or Ubuntu sites-available/sites-enabled file,
	// whose nginx.conf turns gzip on (with no gzip_types).
	HostDebian
)

// linkNginx resolves the include directives of the stack's nginx files to
// the files they name: relative to the including file, then to the nginx
// prefix, which is the folder of an nginx.conf of the stack or a folder
// compose mounts at /etc/nginx/...; an include whose path leaves the tree
// is noted in Skipped, never read.
func (s *Stack) linkNginx() {
	byPath := map[string]*File{}
	var confs []string
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		byPath[path.Clean(f.Doc.Path)] = f
		if path.Base(f.Doc.Path) == "nginx.conf" {
			confs = append(confs, path.Dir(f.Doc.Path))
		}
	}
	if len(byPath) == 0 {
		return
	}
	// A fix re-assembles the stack from the same parsed files: start clean.
	for _, f := range byPath {
		f.Nginx.IncludedBy = nil
		for _, d := range f.Nginx.Includes() {
			d.Included = nil
		}
	}
	mounts := s.nginxMounts()
	root := s.treeRoot()
	match := func(pattern string) []*File {
		if !strings.ContainsAny(pattern, "*?[\\") {
			// A plain path: one lookup, not a match against every file.
			if f, ok := byPath[path.Clean(pattern)]; ok {
				return []*File{f}
			}
			return nil
		}
		var out []*File
		for p, f := range byPath {
			if ok, _ := path.Match(pattern, p); ok {
				out = append(out, f)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Doc.Path < out[j].Doc.Path })
		return out
	}
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		for _, d := range f.Nginx.Includes() {
			pat := d.Arg(0)
			if pat == "" || strings.Contains(pat, "$") {
				continue
			}
			var cands []string
			if strings.HasPrefix(pat, "/") {
				for _, m := range mounts {
					if rel, ok := underMount(pat, m); ok {
						cands = append(cands, rel)
					}
				}
				if rest, ok := strings.CutPrefix(pat, nginxPrefix+"/"); ok {
					cands = append(cands, path.Join(path.Dir(f.Doc.Path), rest))
					for _, c := range confs {
						cands = append(cands, path.Join(c, rest))
					}
				}
			} else {
				cands = append(cands, path.Join(path.Dir(f.Doc.Path), pat))
				for _, c := range confs {
					cands = append(cands, path.Join(c, pat))
				}
			}
			for _, c := range cands {
				if outside(root, c) {
					s.Skipped = append(s.Skipped, Skipped{Path: f.Doc.Path, Reason: "include " + pat + " leads outside the tree being linted; not read"})
					break
				}
				if fs := match(c); len(fs) > 0 {
					for _, g := range fs {
						if g != f {
							d.Included = append(d.Included, g.Nginx)
							g.Nginx.IncludedBy = append(g.Nginx.IncludedBy, d)
						}
					}
					break
				}
			}
		}
	}
	s.breakIncludeCycles()
}

// breakIncludeCycles unlinks each include that leads back to a file on the
// chain including it (nginx would read it again and again until it fails):
// the include is noted in Skipped, and every chain of includes then reads
// each file at most once.
func (s *Stack) breakIncludeCycles() {
	const (
		unseen = iota
		open
		done
	)
	state := map[*File]int{}
	byNginx := map[*nginx.File]*File{}
	for _, f := range s.Files {
		if f.Nginx != nil {
			byNginx[f.Nginx] = f
		}
	}
	var visit func(f *File)
	visit = func(f *File) {
		state[f] = open
		for _, d := range f.Nginx.Includes() {
			kept := d.Included[:0]
			var back []string
			for _, inc := range d.Included {
				g := byNginx[inc]
				if g == nil {
					kept = append(kept, inc)
					continue
				}
				switch state[g] {
				case open:
					back = append(back, g.Doc.Path)
					g.Nginx.IncludedBy = removeDirective(g.Nginx.IncludedBy, d)
					continue
				case unseen:
					visit(g)
				}
				kept = append(kept, inc)
			}
			d.Included = kept
			if len(back) > 0 {
				pos := f.Doc.Position(d.Span.Start)
				s.Skipped = append(s.Skipped, Skipped{Path: f.Doc.Path, Reason: fmt.Sprintf("include %s on line %d leads back to %s, which this file is included from: an include cycle, not followed there", d.Arg(0), pos.Line, summarize(back, 3))})
			}
		}
		state[f] = done
	}
	for _, f := range s.Files {
		if f.Nginx != nil && state[f] == unseen {
			visit(f)
		}
	}
}

func removeDirective(ds []*nginx.Directive, d *nginx.Directive) []*nginx.Directive {
	out := ds[:0]
	for _, x := range ds {
		if x != d {
			out = append(out, x)
		}
	}
	return out
}

// mount is a file or folder of the repository placed in nginx's
// configuration: a bind mount of a compose service, or a Dockerfile's COPY
// or ADD (docker set, image the stage's base).
type mount struct {
	src, target string
	svc         *compose.Service
	compose     *File
	docker      *File
	image       string
}

// where says in words how the mount places its file at target.
func (m mount) where(target string) string {
	if m.docker != nil {
		return "copied to " + target + " by " + m.docker.Doc.Path + " (FROM " + m.image + ")"
	}
	return "mounted at " + target + " in service " + m.svc.Name + " (" + m.compose.Doc.Path + ")"
}

// key names the nginx the mount feeds: its compose service, or its
// Dockerfile.
func (m mount) key() string {
	if m.docker != nil {
		return m.docker.Doc.Path
	}
	return m.compose.Doc.Path + ":" + m.svc.Name
}

// openrestyPrefix is the configuration prefix of OpenResty's images, whose
// nginx.conf also includes /etc/nginx/conf.d/*.conf.
const openrestyPrefix = "/usr/local/openresty/nginx/conf"

// nginxConfigPath reports whether a container path lies in a folder nginx
// reads its configuration from: /etc/nginx or OpenResty's conf folder.
func nginxConfigPath(p string) bool {
	p = path.Clean(p)
	for _, prefix := range []string{nginxPrefix, openrestyPrefix} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

var nginxMountsKey = new(int)

// nginxMounts lists what the stack places in nginx's configuration folders
// (see nginxConfigPath): bind mounts of compose services, then COPY and
// ADD instructions of Dockerfiles.
func (s *Stack) nginxMounts() []mount {
	return Memo(s, nginxMountsKey, func() []mount {
		isDir := func(p string) bool {
			for _, f := range s.Files {
				if strings.HasPrefix(path.Clean(f.Doc.Path), p+"/") {
					return true
				}
			}
			return false
		}
		return append(s.composeNginxMounts(), s.nginxCopies(isDir, s.contextOf)...)
	})
}

func (s *Stack) composeNginxMounts() []mount {
	var out []mount
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			for _, v := range svc.Volumes {
				if !nginxConfigPath(v.Target) || !(strings.HasPrefix(v.Source, ".") || strings.HasPrefix(v.Source, "/")) {
					continue
				}
				src := v.Source
				if !strings.HasPrefix(src, "/") {
					src = path.Join(path.Dir(f.Doc.Path), src)
				}
				out = append(out, mount{src: src, target: path.Clean(v.Target), svc: svc, compose: f})
			}
		}
	}
	return out
}

// nginxCopies lists the COPY and ADD instructions (from the build context,
// not another stage or a URL) that put files into nginx's configuration
// folders, each source with the container path it lands at. isDir says
// whether a repository path is a folder, whose contents COPY puts in the
// destination itself; contextOf gives a Dockerfile's build context.
func (s *Stack) nginxCopies(isDir func(string) bool, contextOf func(*File) string) []mount {
	var out []mount
	for _, d := range s.Files {
		if d.Dockerfile == nil {
			continue
		}
		context := ""
		workdir := map[*dockerfile.Stage]string{}
		for _, ins := range d.Dockerfile.Instructions {
			if ins.Stage == nil {
				continue
			}
			wd := workdir[ins.Stage]
			if wd == "" {
				wd = "/"
			}
			switch ins.Keyword {
			case "WORKDIR":
				if len(ins.Args) > 0 {
					workdir[ins.Stage] = wantAbs(ins.Args[0], wd)
				}
			case "COPY", "ADD":
				if hasFrom(ins.Flags) || len(ins.Args) < 2 {
					continue
				}
				srcs, dst := ins.Args[:len(ins.Args)-1], ins.Args[len(ins.Args)-1]
				dstAbs := wantAbs(dst, wd)
				if !nginxConfigPath(dstAbs) {
					continue
				}
				dirDst := strings.HasSuffix(dst, "/") || len(srcs) > 1
				if context == "" {
					context = contextOf(d)
				}
				for _, src := range srcs {
					if strings.ContainsAny(src, "*?[$") || strings.Contains(src, "://") {
						continue
					}
					rel := path.Join(context, src)
					target := dstAbs
					if dirDst && !isDir(rel) && src != "." && !strings.HasSuffix(src, "/") {
						target = path.Join(dstAbs, path.Base(src))
					}
					out = append(out, mount{src: rel, target: target, docker: d, image: ins.Stage.Base})
				}
			}
		}
	}
	return out
}

// underMount maps a container path (or glob) to the repository path a
// mount puts there.
func underMount(p string, m mount) (string, bool) {
	switch {
	case p == m.target:
		return m.src, true
	case strings.HasPrefix(p, m.target+"/"):
		return path.Join(m.src, strings.TrimPrefix(p, m.target+"/")), true
	}
	if ok, _ := path.Match(p, m.target); ok {
		return m.src, true // a glob naming the one file mounted there
	}
	return "", false
}

// NginxHost says which nginx.conf runs an nginx file that has no http
// block of its own, and why.
func (s *Stack) NginxHost(f *File) (NginxHost, string) {
	if f.Nginx == nil {
		return HostUnknown, ""
	}
	if len(f.Nginx.IncludedBy) > 0 {
		return HostInView, "included by " + f.Nginx.IncludedBy[0].Doc().Path
	}
	p := path.Clean(f.Doc.Path)
	for _, m := range s.nginxMounts() {
		target := ""
		switch {
		case m.src == p:
			target = m.target
		case strings.HasPrefix(p, m.src+"/"):
			target = path.Join(m.target, strings.TrimPrefix(p, m.src+"/"))
		default:
			continue
		}
		dir := path.Dir(target)
		if official(s.imageOf(m)) && (dir == nginxPrefix+"/conf.d" || dir == nginxPrefix+"/templates") {
			what := ", the official nginx image"
			if m.docker != nil {
				what = ""
			}
			return HostOfficialImage, m.where(target) + what
		}
		if dir == nginxPrefix+"/sites-enabled" || dir == nginxPrefix+"/sites-available" {
			return HostDebian, m.where(target)
		}
	}
	switch path.Base(path.Dir(p)) {
	case "sites-available", "sites-enabled":
		return HostDebian, "a " + path.Base(path.Dir(p)) + " file, as Debian's and Ubuntu's nginx packages include them"
	}
	return HostUnknown, ""
}

// imageOf is the image a mount's service runs: its image, or the base of
// the Dockerfile it builds.
func (s *Stack) imageOf(m mount) string {
	if m.docker != nil {
		return m.image
	}
	if m.svc.Image != "" && !m.svc.Build {
		return m.svc.Image
	}
	if d := s.dockerfileOf(m.compose, m.svc); d != nil {
		if st := d.Dockerfile.FinalStage(); st != nil {
			return st.Base
		}
	}
	return m.svc.Image
}

// official reports whether an image reference is the official nginx image
// (any tag or variant) or NGINX's unprivileged build of it, which ship the
// same nginx.conf.
func official(image string) bool {
	image = strings.TrimPrefix(image, "docker.io/")
	image = strings.TrimPrefix(image, "library/")
	name, _, _ := strings.Cut(image, "@")
	name, _, _ = strings.Cut(name, ":")
	return name == "nginx" || name == "nginxinc/nginx-unprivileged"
}

// treeRoot is the deepest folder holding every file of the stack: what
// "inside the tree being linted" means for include paths, whether the paths
// were given relative or absolute.
func (s *Stack) treeRoot() string {
	root := ""
	for i, f := range s.Files {
		dir := path.Dir(path.Clean(f.Doc.Path))
		if i == 0 {
			root = dir
			continue
		}
		for root != dir && !strings.HasPrefix(dir, strings.TrimSuffix(root, "/")+"/") {
			parent := path.Dir(root)
			if parent == root {
				break
			}
			if root == "." {
				return "."
			}
			root = parent
		}
	}
	return root
}

// outside reports whether p lies outside root. A relative path is never
// inside an absolute root, nor the other way round.
func outside(root, p string) bool {
	p = path.Clean(p)
	if path.IsAbs(p) != path.IsAbs(root) {
		return true
	}
	if root == "." {
		return p == ".." || strings.HasPrefix(p, "../")
	}
	return p != root && !strings.HasPrefix(p, strings.TrimSuffix(root, "/")+"/")
}

// NginxInstance is one nginx as it runs: the nginx files it loads, each at
// the path it has in nginx's file system (/etc/nginx/...).
type NginxInstance struct {
	// Main is the stack's own nginx.conf, or nil when the snippets run
	// under the host's (see Host).
	Main *File
	// Host is the nginx.conf that wraps the snippets when Main is nil.
	Host  NginxHost
	Files []*File
	// Paths maps each file to its path inside nginx's file system.
	Paths map[*File]string
}

// isMainNginx reports whether f is a whole nginx.conf (an http or events
// block at its top), not a snippet included into one.
func isMainNginx(f *File) bool {
	for _, d := range f.Nginx.Root.Directives {
		if (d.Name == "http" || d.Name == "events") && d.Block != nil {
			return true
		}
	}
	return false
}

// NginxInstances groups the stack's nginx files by the nginx that loads
// them: each nginx.conf of the stack with every file its includes reach,
// then the snippets nothing in view includes, one instance per compose
// service that mounts them (or one for all the rest), under the host
// config the stack says they land in. Computed once per stack and shared:
// callers must not modify it.
func (s *Stack) NginxInstances() []*NginxInstance {
	return Memo(s, nginxInstancesKey, s.nginxInstances)
}

var (
	nginxInstancesKey = new(int)
	nginxPeersKey     = new(int)
)

func (s *Stack) nginxInstances() []*NginxInstance {
	var out []*NginxInstance
	seen := map[*File]bool{}
	byNginx := map[*nginx.File]*File{}
	for _, f := range s.Files {
		if f.Nginx != nil {
			byNginx[f.Nginx] = f
		}
	}
	for _, f := range s.Files {
		if f.Nginx == nil || !isMainNginx(f) {
			continue
		}
		in := &NginxInstance{Main: f, Host: HostInView, Paths: map[*File]string{}}
		var visit func(g *File, depth int)
		visit = func(g *File, depth int) {
			if seen[g] || depth > 16 {
				return
			}
			seen[g] = true
			in.Files = append(in.Files, g)
			in.Paths[g] = s.nginxPath(g, f)
			for _, d := range g.Nginx.Includes() {
				for _, inc := range d.Included {
					if h := byNginx[inc]; h != nil {
						visit(h, depth+1)
					}
				}
			}
		}
		visit(f, 0)
		out = append(out, in)
	}
	groups := map[string]*NginxInstance{}
	var keys []string
	for _, f := range s.Files {
		if f.Nginx == nil || seen[f] {
			continue
		}
		host, _ := s.NginxHost(f)
		key := ""
		p := path.Clean(f.Doc.Path)
		for _, m := range s.nginxMounts() {
			if m.src == p || strings.HasPrefix(p, m.src+"/") {
				key = m.key()
				break
			}
		}
		in := groups[key]
		if in == nil {
			in = &NginxInstance{Host: host, Paths: map[*File]string{}}
			groups[key] = in
			keys = append(keys, key)
		}
		if in.Host == HostUnknown {
			in.Host = host
		}
		in.Files = append(in.Files, f)
		in.Paths[f] = s.nginxPath(f, nil)
	}
	for _, k := range keys {
		out = append(out, groups[k])
	}
	return out
}

// NginxPeers returns the nginx files loaded by the same nginx as f, f
// included, in the stack's order.
func (s *Stack) NginxPeers(f *File) []*File {
	peers := Memo(s, nginxPeersKey, func() map[*File][]*File {
		m := map[*File][]*File{}
		for _, in := range s.NginxInstances() {
			for _, g := range in.Files {
				m[g] = in.Files
			}
		}
		return m
	})
	if p, ok := peers[f]; ok {
		return p
	}
	return []*File{f}
}

// nginxPath is where f sits in nginx's file system: where compose mounts
// it, relative to the stack's nginx.conf main (whose folder is the
// prefix), or, for a snippet, the folder its host config includes.
func (s *Stack) nginxPath(f, main *File) string {
	p := path.Clean(f.Doc.Path)
	for _, m := range s.nginxMounts() {
		switch {
		case m.src == p:
			return templateTarget(m.target)
		case strings.HasPrefix(p, m.src+"/"):
			return templateTarget(path.Join(m.target, strings.TrimPrefix(p, m.src+"/")))
		}
	}
	if main != nil {
		if f == main {
			return nginxPrefix + "/nginx.conf"
		}
		if rel, ok := strings.CutPrefix(p, path.Dir(path.Clean(main.Doc.Path))+"/"); ok {
			return path.Join(nginxPrefix, rel)
		}
	}
	if isMainNginx(f) {
		return nginxPrefix + "/nginx.conf"
	}
	if h, _ := s.NginxHost(f); h == HostDebian {
		return nginxPrefix + "/sites-enabled/" + path.Base(p)
	}
	return nginxPrefix + "/conf.d/" + path.Base(p)
}

// templateTarget maps a file of the official image's templates folder to
// the conf.d file its entrypoint renders from it.
func templateTarget(p string) string {
	if rest, ok := strings.CutPrefix(p, nginxPrefix+"/templates/"); ok {
		return nginxPrefix + "/conf.d/" + strings.TrimSuffix(rest, ".template")
	}
	return p
}

// summarize lists at most n items, then how many more there are.
func summarize(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// passTargets are the addresses a pass sends to: its upstream's servers, or
// its own host:port.
func passTargets(ps *nginx.Pass) []string {
	if ps.Upstream != nil {
		return nginx.UpstreamServers(ps.Upstream)
	}
	if ps.Variable || ps.Host == "" {
		return nil
	}
	return []string{ps.Address()}
}

// Backends returns the app-server commands serving the addresses ps sends
// to, as ServerFor finds them (with its single-server fallback).
func (s *Stack) Backends(ps *nginx.Pass) []*Command {
	var out []*Command
	seen := map[*Command]bool{}
	for _, a := range passTargets(ps) {
		host, _ := nginx.SplitHostPort(a)
		if c := s.ServerFor(host); c != nil && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
