package nginx

import (
	"regexp"
	"strings"

	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/stack"
)

// reachesApp reports whether requests nginx hands to addrs (the servers of
// the upstream called name, or the address of a bare proxy_pass, name "")
// over scheme may reach one of the Python app servers HR401 speaks about.
// It is false, so HR401 stays quiet, where the stack or the names say the
// backend is something else:
//   - a compose service the stack knows runs no app server (a database, a
//     metrics exporter, another team's image), where some service does;
//   - a host outside the stack: a dotted name that is no compose service
//     and no cluster-internal name (a CDN, an S3 bucket, a public site), or
//     any host reached over https that no app server of the stack serves;
//   - a JavaScript frontend (Next.js, Vite, Node) or a storage or identity
//     service named as such ("docs_frontend", ${FRONTEND_HOST}, minio),
//     unless a compose service of that name runs an app server.
//
// An address an app server of the stack is known to serve, a unix socket,
// localhost and an IP address always may.
func reachesApp(s *stack.Stack, scheme, name string, addrs []string) bool {
	services := map[string]bool{}
	app := map[string]bool{}
	if s != nil {
		for _, f := range s.Files {
			if f.Compose != nil {
				for _, svc := range f.Compose.Services {
					services[strings.ToLower(svc.Name)] = true
				}
			}
		}
		for _, c := range s.Commands {
			if c.Server != nil && c.Server.Program == "celery" {
				continue
			}
			for _, svc := range c.Services {
				app[strings.ToLower(svc)] = true
			}
		}
	}
	served := false
	for _, a := range addrs {
		host, _ := ngx.SplitHostPort(a)
		host = strings.ToLower(host)
		switch {
		case app[host]:
			served = true
			continue
		case strings.HasPrefix(host, "unix:"), host == "localhost", ipLike.MatchString(host):
			continue
		case services[host]:
			if len(app) > 0 {
				return false // a service of the stack that runs no app server
			}
		case externalHost(host), scheme == "https":
			return false
		}
		if notPython(host) {
			return false
		}
	}
	return served || name == "" || !notPython(strings.ToLower(name))
}

// internalSuffixes end host names that resolve inside a cluster or a
// private network, where an app server may well sit.
var internalSuffixes = []string{".local", ".internal", ".svc", ".lan", ".localhost", ".docker", ".home.arpa"}

// externalHost reports whether host is a public name: dotted, not an IP
// address, not a placeholder filled in when the container starts, and not
// under a cluster-internal suffix.
func externalHost(host string) bool {
	if !strings.Contains(host, ".") || ipLike.MatchString(host) || strings.Contains(host, "$") {
		return false
	}
	for _, suf := range internalSuffixes {
		if strings.HasSuffix(host, suf) || strings.Contains(host, suf+".") {
			return false
		}
	}
	return true
}

// nameWord splits host and upstream names into words: docs_frontend,
// ${FRONTEND_INTERNAL_HOST}, web-ui.
var nameWord = regexp.MustCompile(`[a-z0-9]+`)

// notPythonWords name backends that are not Python app servers: JavaScript
// frontends and the storage and identity services nginx commonly proxies
// to beside the app.
var notPythonWords = map[string]bool{
	"frontend": true, "front": true, "nextjs": true, "nuxt": true, "node": true, "nodejs": true,
	"vite": true, "react": true, "angular": true, "vue": true, "svelte": true, "sveltekit": true,
	"minio": true, "s3": true, "localstack": true, "keycloak": true,
}

// notPython reports whether a lower-cased host or upstream name says the
// backend is not a Python app server.
func notPython(name string) bool {
	for _, w := range nameWord.FindAllString(name, -1) {
		if notPythonWords[w] {
			return true
		}
	}
	return false
}
