package parsers

import (
	"path"
	"regexp"
	"strings"
)

// Detect says which kind of deployment file a path holds. head is the start
// of the file (may be nil); it is only needed to recognise Python modules that
// are settings modules without the name.
func Detect(p string, head []byte) Kind {
	p = strings.ReplaceAll(p, "\\", "/")
	base := path.Base(p)
	dir := path.Base(path.Dir(p))
	lower := strings.ToLower(base)
	switch {
	case base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(lower, ".dockerfile"):
		return KindDockerfile
	case base == "nginx.conf" || (strings.HasSuffix(base, ".conf") && (strings.Contains(p, "nginx/") || dir == "conf.d" || dir == "sites-enabled" || dir == "sites-available")):
		return KindNginx
	case isCompose(lower):
		return KindCompose
	case strings.HasSuffix(lower, ".py"):
		if base == "settings.py" || dir == "settings" || isSettingsModule(head) {
			return KindPython
		}
		if isAppModule(base, dir) {
			return KindPythonApp
		}
	case isRequirements(p):
		return KindRequirements
	}
	return KindUnknown
}

func isCompose(base string) bool {
	for _, ext := range []string{".yml", ".yaml"} {
		if strings.HasSuffix(base, ext) {
			stem := strings.TrimSuffix(base, ext)
			return strings.HasPrefix(stem, "docker-compose") || stem == "compose" || strings.HasPrefix(stem, "compose.") || strings.HasPrefix(stem, "compose-")
		}
	}
	return false
}

func isRequirements(p string) bool {
	base := path.Base(p)
	dir := path.Base(path.Dir(p))
	switch {
	case strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt"):
		return true
	case dir == "requirements" && strings.HasSuffix(base, ".txt"):
		return true
	case base == "pyproject.toml" || base == "poetry.lock" || base == "uv.lock":
		return true
	}
	return false
}

// settingsAssign matches a module-level assignment of one of the settings
// that make a module a Django settings module for headroom.
var settingsAssign = regexp.MustCompile(`(?m)^(DATABASES|CACHES)\s*[:=]`)

func isSettingsModule(head []byte) bool {
	return settingsAssign.Match(head)
}

// appModules are the module names (or package folders) of a Django app
// whose code decides what queries a request runs.
var appModules = map[string]bool{"models": true, "serializers": true, "views": true, "viewsets": true}

// isAppModule reports whether a .py file is one of an app's models,
// serializers or views modules, or a module of such a package
// (chat/views/session.py).
func isAppModule(base, dir string) bool {
	return appModules[strings.TrimSuffix(base, ".py")] || appModules[dir]
}
