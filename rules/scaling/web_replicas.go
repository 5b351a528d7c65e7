package scaling

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// WebReplicas is how many containers the fix runs: the report's three web
// services.
const WebReplicas = 3

// WebScaling is HR601.
var WebScaling = &rules.Rule{
	ID:       "HR601",
	Name:     "compose-web-replicas",
	Phase:    3,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindCompose},
	Fixable:  true,
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "A web service runs as one container that cannot be scaled",
		Why: `A compose service with a fixed container_name can only ever run one container:
Compose refuses to scale it ("container name must be unique"), so the app server's
capacity ends at one machine's share and a restart is an outage. Scaling out is a
matter of deploy.replicas, with nginx reaching every replica through the service name:
Compose's DNS answers a service name with the address of each of its containers, and
nginx adds every address a server name resolves to as a server of the upstream.

The report instead copies the service as web1, web2, web3 behind HAProxy: three
definitions to keep in step, and a proxy that only knows the copies it names.`,
		Impact: "2000-5000+ concurrent users with the rest of phase 3 (the report's phase 3, item 10)",
		Fix: `Removes container_name, sets deploy.replicas: 3, and points nginx upstream servers
and proxy_pass hosts that named the container at the service name. Safe under Compose
v2, which honours deploy.replicas, unless something in the stack assumes one
container, where the same fix is offered only as unsafe, naming it:

- the container runs migrations when it starts (manage.py migrate or django-admin
  migrate in its command, entrypoint, the Dockerfile's CMD/ENTRYPOINT or a script
  they run): every replica would migrate at once, and Django's migrate takes no lock;
  run it once, in a one-off job, before the replicas start;
- state lives in one process or one container: a LocMemCache or FileBasedCache
  default cache, file sessions (SESSION_ENGINE ...sessions.backends.file), or cache
  sessions on such a cache: a user whose next request reaches another replica is
  logged out;
- nginx resolves the service name once: a proxy_pass or upstream server naming it,
  unless it is re-resolved (a proxy_pass through a variable with a resolver, or an
  upstream server with the resolve parameter, nginx 1.27.3 and later). nginx keeps the
  addresses it found at start, so replicas recreated later with new addresses are
  never reached, and new ones are not added until nginx reloads;
- nginx names the container elsewhere (a set or map value), which the fix does not
  rewrite and which stops resolving once container_name is gone.

A service that publishes a fixed host port cannot run twice on one host; it is
reported without a fix. Where the stack holds no Django settings, the state check
cannot tell and says nothing.`,
		Bad: `web:
  build: .
  container_name: wingman_web
  expose:
    - "8000"`,
		Good: `web:
  build: .
  expose:
    - "8000"
  deploy:
    replicas: 3`,
		Sources: []string{
			"https://docs.docker.com/reference/compose-file/services/#container_name",
			"https://docs.docker.com/reference/compose-file/deploy/#replicas",
			"https://docs.docker.com/engine/network/#dns-services",
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server",
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#resolver",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass",
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver",
			"https://docs.djangoproject.com/en/stable/topics/http/sessions/#using-file-based-sessions",
			"https://docs.djangoproject.com/en/stable/topics/http/sessions/#using-cached-sessions",
			"https://docs.djangoproject.com/en/stable/topics/cache/#local-memory-caching",
			"https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate",
		},
		Since: "0.2.0",
	},
	Check: checkWebScaling,
}

func init() { rules.Register(WebScaling) }

// webServices are the compose services that run a web app server.
func webServices(s *stack.Stack) map[string]bool {
	out := map[string]bool{}
	for _, c := range s.Commands {
		if c.Server.Program == "celery" {
			continue
		}
		for _, name := range c.Services {
			out[name] = true
		}
	}
	return out
}

func checkWebScaling(pass *rules.Pass) {
	f := pass.File.Compose
	web := webServices(pass.Stack)
	for _, svc := range f.Services {
		if !web[svc.Name] || svc.ContainerName == nil {
			continue
		}
		if svc.Replicas != nil {
			if n, err := strconv.Atoi(svc.Replicas.Value); err != nil || n > 1 {
				continue
			}
		}
		d := rules.Diagnostic{
			Span: svc.ContainerName.Span,
			Message: fmt.Sprintf("service %s has container_name %q and no replicas: it runs as one container and Compose cannot scale it; use deploy.replicas and let nginx reach every replica by the service name",
				svc.Name, svc.ContainerName.Value),
		}
		if port := fixedHostPort(svc); port != "" {
			d.Message += fmt.Sprintf(" (it publishes host port %s, which only one container can hold: publish nginx's port instead)", port)
			pass.Report(d)
			continue
		}
		if edits, ok := replicaEdits(pass, f, svc); ok {
			fx := rules.Fix{Message: fmt.Sprintf("remove container_name, set deploy.replicas: %d, point nginx at %s", WebReplicas, svc.Name), Edits: edits}
			if risks := replicaRisks(pass, f, svc); len(risks) > 0 {
				why := make([]string, len(risks))
				for i, r := range risks {
					why[i] = r.Message
					d.Related = append(d.Related, r)
				}
				d.Message += "; first, " + strings.Join(why, "; ")
				fx.Message += " (unsafe: " + strings.Join(why, "; ") + ")"
				fx.Applicability = rules.Unsafe
			}
			d.Fixes = []rules.Fix{fx}
		}
		pass.Report(d)
	}
}

// fixedHostPort returns a host port the service publishes, if any: short
// syntax "8000:8000" (not "8000", which picks a free port), or long syntax
// with published.
func fixedHostPort(svc *compose.Service) string {
	for i := 0; i+1 < len(svc.Node.Content); i += 2 {
		if svc.Node.Content[i].Value != "ports" {
			continue
		}
		for _, p := range svc.Node.Content[i+1].Content {
			if p.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(p.Content); j += 2 {
					if p.Content[j].Value == "published" {
						return p.Content[j+1].Value
					}
				}
				continue
			}
			parts := strings.Split(p.Value, ":")
			if len(parts) >= 2 {
				return parts[len(parts)-2]
			}
		}
	}
	return ""
}

func replicaEdits(pass *rules.Pass, f *compose.File, svc *compose.Service) ([]edit.TextEdit, bool) {
	doc := pass.Doc()
	b, ok := serviceBlock(doc, svc)
	if !ok {
		return nil, false
	}
	cn, ok := keyLine(doc, f, svc, "container_name")
	if !ok {
		return nil, false
	}
	edits := []edit.TextEdit{pass.Edit(cn, "")}
	nl := doc.Newline()
	switch {
	case svc.Replicas != nil:
		edits = append(edits, pass.Edit(svc.Replicas.Span, strconv.Itoa(WebReplicas)))
	default:
		if dl, has := keyLine(doc, f, svc, "deploy"); has {
			// Insert as deploy's first key, indented like its children.
			first := doc.Position(dl.Start).Line + 1
			child := doc.Indentation(doc.Offset(first, 1))
			if len(child) <= len(b.Indent) {
				return nil, false // `deploy: {}` or an alias
			}
			at := doc.Offset(first, 1)
			edits = append(edits, pass.Edit(parsers.Span{Start: at, End: at}, child+"replicas: "+strconv.Itoa(WebReplicas)+nl))
		} else {
			text := b.Indent + "deploy:" + nl + b.Indent + b.unit() + "replicas: " + strconv.Itoa(WebReplicas) + nl
			if b.End == len(doc.Src) && !strings.HasSuffix(string(doc.Src), "\n") {
				text = nl + strings.TrimSuffix(text, nl)
			}
			edits = append(edits, pass.Edit(parsers.Span{Start: b.End, End: b.End}, text))
		}
	}
	// nginx servers and proxy_pass hosts that name the container.
	for _, nf := range pass.Stack.Files {
		if nf.Nginx == nil {
			continue
		}
		nf.Nginx.Walk(func(d *nginx.Directive) bool {
			var arg int = -1
			switch d.Name {
			case "server":
				if d.Parent != nil && d.Parent.Owner != nil && d.Parent.Owner.Name == "upstream" && len(d.Args) > 0 {
					arg = 0
				}
			case "proxy_pass":
				if len(d.Args) > 0 {
					arg = 0
				}
			}
			if arg < 0 {
				return true
			}
			v := d.Args[arg].Value
			i := strings.Index(v, svc.ContainerName.Value)
			if i < 0 {
				return true
			}
			end := i + len(svc.ContainerName.Value)
			okBefore := i == 0 || v[i-1] == '/'
			okAfter := end == len(v) || v[end] == ':' || v[end] == '/'
			if okBefore && okAfter {
				nv := v[:i] + svc.Name + v[end:]
				edits = append(edits, edit.NginxReplaceArg(nf.Doc, d, arg, nv))
			}
			return true
		})
	}
	return edits, true
}
