package scaling

import (
	"path"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// replicaRisks are what makes running a web service as several containers
// break it, each located where the author wrote it: migrations run at
// start (every replica runs them at once), state kept in one process or
// one container (sessions, the cache), and nginx resolving the service name
// once (it keeps sending to addresses of replicas that were replaced).
func replicaRisks(pass *rules.Pass, f *compose.File, svc *compose.Service) []rules.Location {
	var out []rules.Location
	if loc, ok := migrateAtStart(pass.Stack, pass.File, svc); ok {
		out = append(out, loc)
	}
	out = append(out, localState(pass.Stack)...)
	if loc, ok := staleResolve(pass.Stack, svc); ok {
		out = append(out, loc)
	}
	if loc, ok := containerNamedElsewhere(pass.Stack, svc); ok {
		out = append(out, loc)
	}
	return out
}

// containerNamedElsewhere finds the container name in an nginx directive
// the fix does not rewrite (a `set $backend http://wingman_web:8000`, a
// map): once container_name is gone that name no longer resolves.
func containerNamedElsewhere(s *stack.Stack, svc *compose.Service) (rules.Location, bool) {
	if svc.ContainerName == nil || svc.ContainerName.Value == "" {
		return rules.Location{}, false
	}
	word := regexp.MustCompile(`(^|[^A-Za-z0-9_.-])` + regexp.QuoteMeta(svc.ContainerName.Value) + `($|[^A-Za-z0-9_-])`)
	var found *nginx.Directive
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		f.Nginx.Walk(func(d *nginx.Directive) bool {
			if found != nil || d.Name == "proxy_pass" || (d.Name == "server" && d.Parent != nil && d.Parent.Owner != nil && d.Parent.Owner.Name == "upstream") {
				return true
			}
			for _, a := range d.Args {
				if word.MatchString(a.Value) {
					found = d
				}
			}
			return true
		})
	}
	if found == nil {
		return rules.Location{}, false
	}
	return rules.Location{Doc: found.Doc(), Span: found.Span,
		Message: "nginx names the container " + svc.ContainerName.Value + " here, which the fix does not rewrite and which stops resolving once container_name is gone"}, true
}

// migrateCmd matches `manage.py migrate` or `django-admin migrate` within
// one shell command.
var migrateCmd = regexp.MustCompile(`\b(?:manage\.py|django-admin(?:\.py)?)\b[^\n;&|#]*\bmigrate\b`)

// migrateAtStart finds a `migrate` the service runs when its container
// starts: in its command or entrypoint, the CMD/ENTRYPOINT of the
// Dockerfile it builds, or a script of the stack those name.
func migrateAtStart(s *stack.Stack, cf *stack.File, svc *compose.Service) (rules.Location, bool) {
	migrate := "every replica runs the migrations when it starts, at the same time (run them once, in a one-off job, before starting the replicas)"
	argvs := []*parsers.Argv{svc.Entrypoint, svc.Command}
	if svc.BuildDockerfile != "" {
		if d := s.File(path.Join(path.Dir(cf.Doc.Path), svc.BuildDockerfile)); d != nil && d.Dockerfile != nil {
			for _, sp := range startSpans(d, svc) {
				argvs = append(argvs, &parsers.Argv{Doc: d.Doc, Span: sp})
			}
		}
	}
	var texts []string
	for _, a := range argvs {
		if a == nil || a.Doc == nil {
			continue
		}
		text := a.Doc.Text(a.Span)
		if m := migrateCmd.FindStringIndex(text); m != nil {
			return rules.Location{Doc: a.Doc, Span: parsers.Span{Start: a.Span.Start + m[0], End: a.Span.Start + m[1]},
				Message: migrate}, true
		}
		texts = append(texts, text)
	}
	for _, f := range s.Files {
		if f.Shell == nil {
			continue
		}
		named := false
		for _, t := range texts {
			if strings.Contains(t, path.Base(f.Doc.Path)) {
				named = true
			}
		}
		if !named {
			continue
		}
		for line := 1; line <= f.Doc.LineCount(); line++ {
			sp := f.Doc.LineSpan(line)
			text := f.Doc.Text(sp)
			if strings.HasPrefix(strings.TrimSpace(text), "#") {
				continue
			}
			if m := migrateCmd.FindStringIndex(text); m != nil {
				return rules.Location{Doc: f.Doc, Span: parsers.Span{Start: sp.Start + m[0], End: sp.Start + m[1]},
					Message: migrate}, true
			}
		}
	}
	return rules.Location{}, false
}

// startSpans are the spans of the Dockerfile's ENTRYPOINT and CMD that
// the service keeps (its own entrypoint or command replaces them).
func startSpans(d *stack.File, svc *compose.Service) []parsers.Span {
	var out []parsers.Span
	if e := d.Dockerfile.Entrypoint(); e != nil && svc.Entrypoint == nil {
		out = append(out, e.Span)
	}
	if c := d.Dockerfile.Cmd(); c != nil && svc.Command == nil {
		out = append(out, c.Span)
	}
	return out
}

// localState finds sessions or a cache that live in one process or one
// container's disk, in the Django settings the stack runs: replicas would
// each see their own.
func localState(s *stack.Stack) []rules.Location {
	var out []rules.Location
	for _, st := range s.DjangoSettings() {
		ns := st.NS
		if ns == nil {
			continue
		}
		backend := "django.core.cache.backends.locmem.LocMemCache"
		var cacheAt *python.Object
		if caches := ns.Names["CACHES"]; caches != nil {
			b := caches.Get("default").Get("BACKEND")
			v := st.Value(b)
			if b == nil || !v.Known || v.Lit.Kind != python.Str || v.Conditional {
				backend = ""
			} else {
				backend, cacheAt = v.Lit.Str, b
			}
		}
		local := strings.HasSuffix(backend, ".LocMemCache") || strings.HasSuffix(backend, ".FileBasedCache")
		if local && cacheAt != nil {
			out = append(out, rules.Location{Doc: cacheAt.Doc(), Span: cacheAt.Span(),
				Message: "the default cache (" + backend[strings.LastIndexByte(backend, '.')+1:] + ") lives in one process or container: each replica would keep its own (use Redis or Memcached)"})
		}
		engine := "django.contrib.sessions.backends.db"
		eng := ns.Names["SESSION_ENGINE"]
		if eng != nil {
			v := st.Value(eng)
			if !v.Known || v.Lit.Kind != python.Str {
				continue
			}
			engine = v.Lit.Str
		}
		switch {
		case engine == "django.contrib.sessions.backends.file":
			out = append(out, rules.Location{Doc: eng.Doc(), Span: eng.Span(),
				Message: "sessions are files on one container's disk: a user whose next request reaches another replica is logged out (use the db, cached_db or signed_cookies engine)"})
		case engine == "django.contrib.sessions.backends.cache" && local:
			out = append(out, rules.Location{Doc: eng.Doc(), Span: eng.Span(),
				Message: "sessions are kept in the default cache, which lives in one process or container: a user whose next request reaches another replica is logged out"})
		}
	}
	return out
}

// staleResolve finds an nginx proxy_pass or upstream server naming the
// service (or its container) that nginx resolves once, at start: without a
// resolver and a name nginx re-resolves (a variable in proxy_pass, or the
// upstream server's `resolve` parameter), nginx keeps the addresses of
// replicas that were recreated and stops reaching new ones.
func staleResolve(s *stack.Stack, svc *compose.Service) (rules.Location, bool) {
	names := []string{strings.ToLower(svc.Name)}
	if svc.ContainerName != nil {
		names = append(names, strings.ToLower(svc.ContainerName.Value))
	}
	resolver := false
	var target *nginx.Directive
	for _, f := range s.Files {
		if f.Nginx == nil {
			continue
		}
		f.Nginx.Walk(func(d *nginx.Directive) bool {
			switch d.Name {
			case "resolver":
				resolver = true
			case "proxy_pass", "server":
				if len(d.Args) == 0 {
					return true
				}
				if d.Name == "server" && (d.Parent == nil || d.Parent.Owner == nil || d.Parent.Owner.Name != "upstream") {
					return true
				}
				v := strings.ToLower(d.Args[0].Value)
				if d.Name == "proxy_pass" && strings.Contains(v, "$") {
					return true // re-resolved per request through the resolver
				}
				if d.Name == "server" && hasArg(d, "resolve") {
					return true
				}
				host := v
				if i := strings.Index(host, "://"); i >= 0 {
					host = host[i+3:]
				}
				host = strings.SplitN(strings.SplitN(host, "/", 2)[0], ":", 2)[0]
				for _, n := range names {
					if host == n && target == nil {
						target = d
					}
				}
			}
			return true
		})
	}
	if target == nil {
		return rules.Location{}, false
	}
	msg := "nginx resolves " + svc.Name + " once, when it starts, and keeps those addresses: replicas recreated later get new ones it never reaches (add a resolver (127.0.0.11 under Docker) and a `resolve` upstream server or a proxy_pass through a variable)"
	if resolver {
		msg = "nginx resolves " + svc.Name + " once, when it starts, and keeps those addresses, resolver or not: replicas recreated later get new ones it never reaches (use a `resolve` upstream server or a proxy_pass through a variable)"
	}
	return rules.Location{Doc: target.Doc(), Span: target.Span, Message: msg}, true
}

func hasArg(d *nginx.Directive, name string) bool {
	for _, a := range d.Args[1:] {
		if a.Value == name {
			return true
		}
	}
	return false
}
