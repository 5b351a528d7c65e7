package stack

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/dockerfile"
)

// imageBuilds ties the compose services that run an image by name (`image:
// org/app:latest`, no `build:`) to the Dockerfile of the stack that builds
// that image, where the evidence is clear; the image's CMD, entrypoint
// scripts and ENV are then read for them as for a service that builds it.
// The evidence, strongest first:
//
//   - another compose service builds a Dockerfile with the same `image:`
//     reference (compose tags what it builds with that name);
//   - a `docker build -t <image> -f <Dockerfile>` in a script or Makefile
//     of the stack;
//   - the stack has exactly one Dockerfile that builds a Python app, and
//     the image's name or namespace is the repository's folder name, one
//     of its top-level folders or the Dockerfile's folder;
//   - of an image named so, one of its services runs a program by its
//     path in the image (`entrypoint: ["/opt/bin/prod-celery.sh"]`) that
//     exactly one Dockerfile's COPY puts there from the repository: every
//     service running that image runs that Dockerfile's image.
//
// An image named after the repository that none of these ties (several
// Dockerfiles could build it) is not guessed at: each such image becomes a
// notice naming its services and the candidate Dockerfiles, so the user
// knows their commands went unread. An image named after nothing of the
// repository (postgres, redis, a vendor's image) is someone else's, and
// stays quiet.
func (s *Stack) imageBuilds() (map[*compose.Service]*File, []Skipped) {
	built := map[string]*File{} // image reference -> the Dockerfile a service builds under it
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if svc.Build && svc.Image != "" {
				if d := s.builtDockerfile(f, svc); d != nil && built[svc.Image] == nil {
					built[svc.Image] = d
				}
			}
		}
	}
	for ref, d := range s.scriptBuilds() {
		if built[ref] == nil {
			built[ref] = d
		}
	}
	var python []*File
	var dockerfiles []string
	for _, f := range s.Files {
		if f.Dockerfile == nil {
			continue
		}
		dockerfiles = append(dockerfiles, f.Doc.Path)
		if buildsPython(f.Dockerfile) {
			python = append(python, f)
		}
	}
	sort.Strings(dockerfiles)
	names := s.repositoryNames()
	links := map[*compose.Service]*File{}
	unlinked := map[string][]string{}         // image -> the services that run it, untied
	untied := map[string][]*compose.Service{} // the same services
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if svc.Build || svc.Image == "" {
				continue
			}
			if d := built[svc.Image]; d != nil {
				links[svc] = d
				continue
			}
			if !names.match(svc.Image) {
				continue
			}
			if len(python) == 1 {
				links[svc] = python[0]
				continue
			}
			unlinked[svc.Image] = append(unlinked[svc.Image], svc.Name)
			untied[svc.Image] = append(untied[svc.Image], svc)
		}
	}
	var notes []Skipped
	refs := make([]string, 0, len(unlinked))
	for ref := range unlinked {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		if d := s.holdingProgram(untied[ref]); d != nil {
			for _, svc := range untied[ref] {
				links[svc] = d
			}
			continue
		}
		svcs := dedupe(unlinked[ref])
		where := "the stack has no Dockerfile that builds a Python app"
		switch {
		case len(dockerfiles) == 1:
			where = "the one Dockerfile in view, " + dockerfiles[0] + ", builds no Python app headroom can see (no python base image, no pip, poetry or uv install)"
		case len(dockerfiles) > 1:
			where = "nothing in view says which of " + summarize(dockerfiles, 4) + " builds it (no service builds it under that name, no `docker build -t` names it)"
		}
		notes = append(notes, Skipped{Path: s.composePathOf(svcs[0]), Reason: fmt.Sprintf("%s %s %s image %s, named after this repository, with no build: %s, so the image's command, entrypoint scripts and ENV are not read for %s", plural(len(svcs), "service", "services"), strings.Join(svcs, ", "), plural(len(svcs), "runs", "run"), ref, where, plural(len(svcs), "it", "them"))})
	}
	return links, notes
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// holdingProgram is the one Dockerfile of the stack whose COPY or ADD puts
// a file of the repository at the absolute path a service's own command
// or entrypoint runs, nil when none or several do.
func (s *Stack) holdingProgram(svcs []*compose.Service) *File {
	var found *File
	for _, svc := range svcs {
		for _, argv := range []*parsers.Argv{svc.Entrypoint, svc.Command} {
			if argv == nil {
				continue
			}
			w := argv.Words
			i := skipWrappers(w)
			if i >= len(w) || !strings.HasPrefix(w[i].Value, "/") {
				continue
			}
			for _, f := range s.Files {
				if f.Dockerfile == nil {
					continue
				}
				if p, ok := copiedFrom(f, s.contextOf(f), w[i].Value); ok && s.paths[path.Clean(p)] {
					if found != nil && found != f {
						return nil
					}
					found = f
				}
			}
		}
	}
	return found
}

// composePathOf is the path of the first compose file that defines the
// service.
func (s *Stack) composePathOf(name string) string {
	for _, f := range s.Files {
		if f.Compose != nil && f.Compose.Service(name) != nil {
			return f.Doc.Path
		}
	}
	return ""
}

// builtDockerfile is the Dockerfile a service's `build:` names, when the
// stack has it.
func (s *Stack) builtDockerfile(f *File, svc *compose.Service) *File {
	if svc == nil || svc.BuildDockerfile == "" {
		return nil
	}
	want := path.Join(path.Dir(f.Doc.Path), svc.BuildDockerfile)
	if s.dockerfiles != nil {
		return s.dockerfiles[want]
	}
	for _, d := range s.Files {
		if d.Dockerfile != nil && path.Clean(d.Doc.Path) == want {
			return d
		}
	}
	return nil
}

// scriptBuilds maps each image a `docker build` (or `docker buildx build`)
// line of a script or Makefile tags with -t to the Dockerfile it builds
// (-f, else the context's Dockerfile), read relative to the script's
// folder or the stack's root, when the stack has it.
func (s *Stack) scriptBuilds() map[string]*File {
	out := map[string]*File{}
	root := s.Root()
	for _, f := range s.Files {
		if f.Shell == nil {
			continue
		}
		for _, argv := range f.Shell.Commands {
			w := argv.Words
			if len(w) < 2 || path.Base(w[0].Value) != "docker" {
				continue
			}
			i := 1
			if w[i].Value == "buildx" || w[i].Value == "image" {
				i++
			}
			if i >= len(w) || w[i].Value != "build" {
				continue
			}
			var tags []string
			file, context := "", ""
			for i++; i < len(w); i++ {
				v := w[i].Value
				switch {
				case (v == "-t" || v == "--tag" || v == "-f" || v == "--file") && i+1 < len(w):
					if v == "-t" || v == "--tag" {
						tags = append(tags, w[i+1].Value)
					} else {
						file = w[i+1].Value
					}
					i++
				case strings.HasPrefix(v, "--tag="):
					tags = append(tags, strings.TrimPrefix(v, "--tag="))
				case strings.HasPrefix(v, "--file="):
					file = strings.TrimPrefix(v, "--file=")
				case strings.HasPrefix(v, "-"):
				default:
					context = v
				}
			}
			if len(tags) == 0 || context == "" {
				continue
			}
			if file == "" {
				file = path.Join(context, "Dockerfile")
			}
			for _, base := range []string{path.Dir(f.Doc.Path), root} {
				if d := s.dockerfiles[path.Join(base, file)]; d != nil {
					for _, t := range tags {
						if out[t] == nil {
							out[t] = d
						}
					}
					break
				}
			}
		}
	}
	return out
}

// buildsPython reports whether a Dockerfile builds a Python app: a stage
// starts from a Python image, or installs Python packages.
func buildsPython(d *dockerfile.File) bool {
	for _, st := range d.Stages {
		if strings.Contains(strings.ToLower(st.Base), "python") {
			return true
		}
	}
	for _, in := range d.Instructions {
		if in.Keyword != "RUN" {
			continue
		}
		run := strings.Join(in.Args, " ")
		for _, installer := range []string{"pip install", "pip3 install", "poetry install", "uv sync", "uv pip install", "pipenv install"} {
			if strings.Contains(run, installer) {
				return true
			}
		}
	}
	return false
}

// repoNames are the names an image of the repository's own would carry:
// the repository's folder name, its top-level folders and the folders
// holding its Dockerfiles, lower case.
type repoNames map[string]bool

func (s *Stack) repositoryNames() repoNames {
	names := repoNames{}
	root := s.Root()
	if abs, err := filepath.Abs(filepath.FromSlash(root)); err == nil {
		names[strings.ToLower(filepath.Base(abs))] = true
	}
	for _, f := range s.Files {
		rel := strings.TrimPrefix(f.Doc.Path, root+"/")
		if root == "." {
			rel = f.Doc.Path
		}
		if top, _, nested := strings.Cut(rel, "/"); nested {
			names[strings.ToLower(top)] = true
		}
		if f.Dockerfile != nil {
			names[strings.ToLower(path.Base(path.Dir(f.Doc.Path)))] = true
		}
	}
	delete(names, ".")
	delete(names, "")
	return names
}

// match reports whether an image reference's name (the last path segment,
// tag and digest dropped) or its namespace is one of the names.
func (n repoNames) match(ref string) bool {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	parts := strings.Split(strings.ToLower(ref), "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		parts = parts[1:] // a registry host
	}
	if len(parts) < 2 {
		return false // an official library image (postgres, redis, python): never the repository's
	}
	name := parts[len(parts)-1]
	if infrastructure[name] {
		return false // a service of its own, whatever the repository has a folder for
	}
	return n[name] || n[parts[0]]
}

// infrastructure are images' names for the services around an app, never
// the app itself, even under a project's namespace (org/nginx).
var infrastructure = map[string]bool{"nginx": true, "redis": true, "postgres": true, "postgresql": true, "mysql": true, "mariadb": true, "rabbitmq": true, "memcached": true, "traefik": true, "caddy": true, "pgbouncer": true, "elasticsearch": true, "minio": true}
