package stack

import (
	"path"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/requirements"
	"github.com/headroom-dev/headroom/parsers/servercmd"
)

// The questions the cross-file budget rules ask: which compose services
// run a command and how many replicas each has, their CPU limits, the
// versions image tags pin, and which processes run Celery beat or a green
// (gevent, eventlet) pool.

// Service is a compose service and the file that declares it.
type Service struct {
	File    *File
	Service *compose.Service
}

// ComposeService returns the compose service reached by host (its name,
// container_name or a network alias), or a zero Service.
func (s *Stack) ComposeService(host string) Service {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		return Service{}
	}
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if strings.ToLower(svc.Name) == host || containsString(svc.Hostnames(), host) {
				return Service{File: f, Service: svc}
			}
		}
	}
	return Service{}
}

// RunningServices returns the compose services that run c, in the order
// of c.Services.
func (s *Stack) RunningServices(c *Command) []Service {
	var out []Service
	for _, name := range c.Services {
		if c.File.Compose != nil {
			if svc := c.File.Compose.Service(name); svc != nil {
				out = append(out, Service{File: c.File, Service: svc})
				continue
			}
		}
		if sv := s.ComposeService(name); sv.Service != nil {
			out = append(out, sv)
		}
	}
	return out
}

// Images returns the compose services whose image is the named one
// ("nginx", "postgres", "redis"), in official or namespaced form
// ("docker.io/library/nginx", "bitnami/redis" does not count for "redis":
// only the image's last path element, then a "-" suffix such as
// "nginx-unprivileged" is kept apart).
func (s *Stack) Images(name string) []Service {
	var out []Service
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			if repo, _ := SplitImage(svc.Image); path.Base(repo) == name {
				out = append(out, Service{File: f, Service: svc})
			}
		}
	}
	return out
}

// SplitImage splits an image reference into repository and tag ("" when
// untagged); a digest is dropped.
func SplitImage(image string) (repo, tag string) {
	image = strings.TrimSpace(image)
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		return strings.ToLower(image[:i]), image[i+1:]
	}
	return strings.ToLower(image), ""
}

// TagVersion reads the release number an image tag pins ("1.25-alpine"
// is 1.25, "1.29.7" is 1.29.7); "latest", "mainline" and "stable" are
// unknown. A tag naming only major.minor stands for its lowest release,
// so "at least" questions are answered conservatively.
func TagVersion(tag string) requirements.Version {
	var v requirements.Version
	for _, part := range strings.Split(strings.SplitN(tag, "-", 2)[0], ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

// NginxVersion is the lowest nginx release the stack's nginx images pin,
// and the service whose tag says so; ok is false when the stack runs no
// nginx image or any of them has an unpinned tag.
func (s *Stack) NginxVersion() (v requirements.Version, where Service, ok bool) {
	svcs := s.Images("nginx")
	for _, sv := range svcs {
		_, tag := SplitImage(sv.Service.Image)
		tv := TagVersion(tag)
		if !tv.Known() {
			return nil, Service{}, false
		}
		if !ok || !tv.AtLeast(v...) {
			v, where, ok = tv, sv, true
		}
	}
	return v, where, ok
}

// Beat is a compose service that runs Celery beat on its own.
type Beat struct {
	Service
	Argv *parsers.Argv
}

// Beats returns the compose services whose command runs `celery beat`
// (gunicorn.Parse reads only workers; a worker with -B runs beat inside
// itself and is counted with it).
func (s *Stack) Beats() []Beat {
	var out []Beat
	for _, f := range s.Files {
		if f.Compose == nil {
			continue
		}
		for _, svc := range f.Compose.Services {
			for _, argv := range []*parsers.Argv{svc.Entrypoint, svc.Command} {
				if argv != nil && runsBeat(*argv) {
					out = append(out, Beat{Service{f, svc}, argv})
					break
				}
			}
		}
	}
	return out
}

func runsBeat(a parsers.Argv) bool {
	celery := false
	for _, w := range a.Words {
		switch {
		case path.Base(w.Value) == "celery":
			celery = true
		case celery && w.Value == "beat":
			return true
		case celery && w.Value == "worker":
			return false
		}
	}
	return false
}

// Volumes returns the source side of a service's short-syntax volume
// entries and the source of long-syntax ones ("./nginx/nginx.conf",
// "pgdata").
func Volumes(svc *compose.Service) []string {
	if svc == nil || svc.Node == nil {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(svc.Node.Content); i += 2 {
		if svc.Node.Content[i].Value != "volumes" || svc.Node.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, n := range svc.Node.Content[i+1].Content {
			switch n.Kind {
			case yaml.ScalarNode:
				out = append(out, n.Value)
			case yaml.MappingNode:
				for j := 0; j+1 < len(n.Content); j += 2 {
					if n.Content[j].Value == "source" {
						out = append(out, n.Content[j+1].Value+":"+targetOf(n))
					}
				}
			}
		}
	}
	return out
}

func targetOf(n *yaml.Node) string {
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value == "target" {
			return n.Content[j+1].Value
		}
	}
	return ""
}

// Option returns the value a program's argv gives a `--name value`,
// `--name=value` or (for PostgreSQL) `-c name=value` setting; found is
// false when it is not given.
func Option(a *parsers.Argv, name string) (value string, span parsers.Span, found bool) {
	if a == nil {
		return "", parsers.Span{}, false
	}
	w := a.Words
	for i := 0; i < len(w); i++ {
		v := w[i].Value
		switch {
		case v == "--"+name && i+1 < len(w):
			value, span, found = w[i+1].Value, w[i+1].Span, true
		case strings.HasPrefix(v, "--"+name+"="):
			value, span, found = strings.TrimPrefix(v, "--"+name+"="), w[i].Span, true
		case v == "-c" && i+1 < len(w) && strings.HasPrefix(w[i+1].Value, name+"="):
			value, span, found = strings.TrimPrefix(w[i+1].Value, name+"="), w[i+1].Span, true
		case strings.HasPrefix(v, "-c"+name+"="):
			value, span, found = strings.TrimPrefix(v, "-c"+name+"="), w[i].Span, true
		}
	}
	return value, span, found
}

// WebServers returns the app-server commands (not Celery) that serve
// requests for the compose service host reaches; unlike ServerFor it never
// guesses.
func (s *Stack) WebServers(host string) []*Command {
	host = strings.ToLower(host)
	if sv := s.ComposeService(host); sv.Service != nil {
		host = strings.ToLower(sv.Service.Name)
	}
	var out []*Command
	for _, c := range s.Commands {
		if c.Server.Program == "celery" {
			continue
		}
		for _, svc := range c.Services {
			if strings.ToLower(svc) == host {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// IsWeb reports whether c serves HTTP (gunicorn, uvicorn, daphne).
func IsWeb(c *Command) bool {
	return c.Server != nil && c.Server.Program != "celery" && c.Server.Mode() != servercmd.Unknown
}

// Found reports whether the lookup found a service.
func (sv Service) Found() bool { return sv.Service != nil }
