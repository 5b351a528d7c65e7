package capacity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// DBServer is a PostgreSQL server the units connect to.
type DBServer struct {
	// Name is the compose service running it, else the host the settings
	// name ("" when they name none and the stack runs no postgres).
	Name    string
	Hosts   []string
	Service stack.Service
	// MaxConnections and Reserved are max_connections and
	// superuser_reserved_connections.
	MaxConnections, Reserved Count
	// Assumed says the server is not part of the stack: its limits are
	// PostgreSQL's defaults, taken on trust.
	Assumed bool
	// Unread says the limit is set where headroom does not read it (a
	// mounted postgresql.conf, config_file, a variable): no budget is
	// judged against it.
	Unread bool
}

// RedisServer is a Redis server the units connect to.
type RedisServer struct {
	Name       string
	Hosts      []string
	Service    stack.Service
	MaxClients Count
	Assumed    bool
	Unread     bool
}

// servers resolves the servers every use connects to.
func (m *Model) servers() {
	pg := map[string]*DBServer{}
	rd := map[string]*RedisServer{}
	for _, u := range m.Units {
		for _, p := range u.Postgres {
			if p.Mode == PGBouncer {
				continue
			}
			if _, ok := pg[p.Host]; !ok {
				srv := m.postgresServer(p.Host)
				for _, prev := range m.Postgres {
					if prev.Name == srv.Name && prev.Service == srv.Service {
						srv = prev
					}
				}
				if !containsStr(srv.Hosts, p.Host) {
					srv.Hosts = append(srv.Hosts, p.Host)
				}
				pg[p.Host] = srv
				if !containsPG(m.Postgres, srv) {
					m.Postgres = append(m.Postgres, srv)
				}
			}
		}
		for _, r := range u.Redis {
			if _, ok := rd[r.Host]; !ok {
				srv := m.redisServer(r.Host)
				for _, prev := range m.Redis {
					if prev.Name == srv.Name && prev.Service == srv.Service {
						srv = prev
					}
				}
				if !containsStr(srv.Hosts, r.Host) {
					srv.Hosts = append(srv.Hosts, r.Host)
				}
				rd[r.Host] = srv
				if !containsRedis(m.Redis, srv) {
					m.Redis = append(m.Redis, srv)
				}
			}
		}
	}
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func containsPG(xs []*DBServer, x *DBServer) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func containsRedis(xs []*RedisServer, x *RedisServer) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// PostgresServer returns the server a host names, as the model resolved
// it (nil when no unit connects to it).
func (m *Model) PostgresServer(host string) *DBServer {
	for _, s := range m.Postgres {
		if containsStr(s.Hosts, host) {
			return s
		}
	}
	return nil
}

// postgresServer finds the server of host: the compose service it names
// (or the only postgres service, when the settings name no host), with
// max_connections from its command line; PostgreSQL's defaults, assumed,
// for a server outside the stack.
func (m *Model) postgresServer(host string) *DBServer {
	s := m.Stack
	srv := &DBServer{Name: host,
		MaxConnections: known(PGMaxConnections, defaultSource("PostgreSQL's default max_connections")),
		Reserved:       known(PGReserved, defaultSource("PostgreSQL's default superuser_reserved_connections")),
	}
	sv := s.ComposeService(host)
	if sv.Service == nil && host == "" {
		var pgs []stack.Service
		for _, img := range []string{"postgres", "postgis"} {
			pgs = append(pgs, s.Images(img)...)
		}
		if len(pgs) == 1 {
			sv = pgs[0]
		}
	}
	if sv.Service == nil {
		srv.Assumed = true
		what := "PostgreSQL's default max_connections, assumed"
		if host != "" {
			what += ": " + host + " is not in this stack"
		}
		srv.MaxConnections.From.What = what
		return srv
	}
	srv.Service, srv.Name = sv, sv.Service.Name
	argv := sv.Service.Command
	if v, span, found := pgOption(argv, "max_connections", "-N"); found {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			srv.Unread = true
			return srv
		}
		srv.MaxConnections = known(n, Source{Doc: sv.File.Doc, Span: span, What: fmt.Sprintf("%s: max_connections = %d", sv.Service.Name, n)})
	} else {
		if _, _, cf := stack.Option(argv, "config_file"); cf {
			srv.Unread = true
		}
		for _, v := range stack.Volumes(sv.Service) {
			if strings.Contains(v, "postgresql.conf") || strings.Contains(v, "postgresql.auto.conf") {
				srv.Unread = true
			}
		}
		srv.MaxConnections.From = Source{Doc: sv.File.Doc, Span: sv.Service.NameSpan, What: fmt.Sprintf("%s: PostgreSQL's default max_connections = %d", sv.Service.Name, PGMaxConnections), Default: true}
	}
	if v, span, found := pgOption(argv, "superuser_reserved_connections", ""); found {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			srv.Reserved = known(n, Source{Doc: sv.File.Doc, Span: span, What: fmt.Sprintf("superuser_reserved_connections = %d", n)})
		}
	}
	return srv
}

// pgOption reads a PostgreSQL server setting from the postgres command:
// -c name=value, --name=value (dashes or underscores), or the short flag.
func pgOption(a *parsers.Argv, name, short string) (string, parsers.Span, bool) {
	if v, sp, ok := stack.Option(a, name); ok {
		return v, sp, true
	}
	if v, sp, ok := stack.Option(a, strings.ReplaceAll(name, "_", "-")); ok {
		return v, sp, true
	}
	if short == "" || a == nil {
		return "", parsers.Span{}, false
	}
	w := a.Words
	for i := len(w) - 1; i >= 0; i-- {
		switch {
		case w[i].Value == short && i+1 < len(w):
			return w[i+1].Value, w[i+1].Span, true
		case strings.HasPrefix(w[i].Value, short) && len(w[i].Value) > len(short):
			return w[i].Value[len(short):], w[i].Span, true
		}
	}
	return "", parsers.Span{}, false
}

// redisServer finds maxclients for host: the compose service's command
// line, else Redis's default; assumed for a server outside the stack.
func (m *Model) redisServer(host string) *RedisServer {
	srv := &RedisServer{Name: host, MaxClients: known(RedisMaxClients, defaultSource("Redis's default maxclients"))}
	sv := m.Stack.ComposeService(host)
	if sv.Service == nil {
		srv.Assumed = true
		srv.MaxClients.From.What = "Redis's default maxclients, assumed: " + host + " is not in this stack"
		return srv
	}
	srv.Service, srv.Name = sv, sv.Service.Name
	if v, span, found := stack.Option(sv.Service.Command, "maxclients"); found {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			srv.Unread = true
			return srv
		}
		srv.MaxClients = known(n, Source{Doc: sv.File.Doc, Span: span, What: fmt.Sprintf("%s: maxclients %d", sv.Service.Name, n)})
		return srv
	}
	for _, v := range stack.Volumes(sv.Service) {
		if strings.Contains(v, "redis.conf") {
			srv.Unread = true
		}
	}
	srv.MaxClients.From = Source{Doc: sv.File.Doc, Span: sv.Service.NameSpan, What: fmt.Sprintf("%s: Redis's default maxclients %d", sv.Service.Name, RedisMaxClients), Default: true}
	return srv
}
