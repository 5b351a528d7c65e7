package capacity

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
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
			host, bn := p.Host, (*Bouncer)(nil)
			if p.Mode == PGBouncer {
				// The bouncer's server connections count against the
				// PostgreSQL behind it.
				if bn = m.Bouncer(p.Host); bn == nil {
					bn = m.bouncer(p.Host)
					m.Bouncers = append(m.Bouncers, bn)
				}
				if bn.Server != nil {
					continue
				}
				host = bn.Upstream
			}
			if _, ok := pg[host]; !ok {
				srv := m.postgresServer(host)
				m.declaredPostgres(srv, host)
				for _, prev := range m.Postgres {
					if prev.Name == srv.Name && prev.Service == srv.Service {
						srv = prev
					}
				}
				if !containsStr(srv.Hosts, host) {
					srv.Hosts = append(srv.Hosts, host)
				}
				pg[host] = srv
				if !containsPG(m.Postgres, srv) {
					m.Postgres = append(m.Postgres, srv)
				}
			}
			if bn != nil {
				bn.Server = pg[host]
			}
		}
		for _, r := range u.Redis {
			if _, ok := rd[r.Host]; !ok {
				srv := m.redisServer(r.Host)
				m.declaredRedis(srv, r.Host)
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

// declaredPostgres applies what the configuration declares of the server
// host names: it wins over the default and over the server's command.
func (m *Model) declaredPostgres(srv *DBServer, host string) {
	if m.Infra == nil {
		return
	}
	d, name, ok := lookup(m.Infra.Postgres, host)
	if !ok {
		return
	}
	if d.MaxConnections.Set() {
		srv.MaxConnections = known(int(d.MaxConnections.Value), m.Infra.declared(d.MaxConnections, Key("postgres", name, "max_connections")))
		srv.Unread, srv.Assumed = false, false
	}
	if d.Reserved.Set() {
		srv.Reserved = known(int(d.Reserved.Value), m.Infra.declared(d.Reserved, Key("postgres", name, "superuser_reserved_connections")))
	}
}

// declaredRedis applies what the configuration declares of the Redis
// server host names.
func (m *Model) declaredRedis(srv *RedisServer, host string) {
	if m.Infra == nil {
		return
	}
	d, name, ok := lookup(m.Infra.Redis, host)
	if !ok || !d.MaxClients.Set() {
		return
	}
	srv.MaxClients = known(int(d.MaxClients.Value), m.Infra.declared(d.MaxClients, Key("redis", name, "maxclients")))
	srv.Unread, srv.Assumed = false, false
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
		srv.MaxConnections.From = Source{Doc: sv.File.Doc, Span: sv.Service.NameSpan, What: fmt.Sprintf("%s: PostgreSQL's default max_connections = %d", sv.Service.Name, PGMaxConnections), Default: true}
		conf, mounted := mountedConf(sv, "postgresql.conf", "config_file")
		switch {
		case !mounted:
		case conf == nil:
			srv.Unread = true
		default:
			if v, src, ok := confValue(conf, "max_connections"); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					src.What = fmt.Sprintf("%s: max_connections = %d in %s", sv.Service.Name, n, conf.Path)
					srv.MaxConnections = known(n, src)
				} else {
					srv.Unread = true
				}
			}
			if v, src, ok := confValue(conf, "superuser_reserved_connections"); ok {
				if n, err := strconv.Atoi(v); err == nil && n >= 0 {
					src.What = fmt.Sprintf("superuser_reserved_connections = %d in %s", n, conf.Path)
					srv.Reserved = known(n, src)
				}
			}
			if confHas(conf, "include") {
				srv.Unread = true // another file may set it
			}
		}
		for _, v := range sv.Service.Volumes {
			if strings.Contains(v.Source, "postgresql.auto.conf") || strings.Contains(v.Target, "postgresql.auto.conf") {
				srv.Unread = true // ALTER SYSTEM's file
			}
		}
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
	srv.MaxClients.From = Source{Doc: sv.File.Doc, Span: sv.Service.NameSpan, What: fmt.Sprintf("%s: Redis's default maxclients %d", sv.Service.Name, RedisMaxClients), Default: true}
	conf, mounted := mountedConf(sv, "redis.conf", "")
	switch {
	case !mounted:
	case conf == nil || confHas(conf, "include"):
		srv.Unread = true
	default:
		if v, src, ok := confValue(conf, "maxclients"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				srv.Unread = true
				return srv
			}
			src.What = fmt.Sprintf("%s: maxclients %d in %s", sv.Service.Name, n, conf.Path)
			srv.MaxClients = known(n, src)
		}
	}
	return srv
}

// mountedConf finds the server's configuration file among the service's
// bind mounts (a source file named like base, or the file the command's
// config option names), and reads it from disk beside the compose file.
// mounted is true when one is mounted; doc is nil when it cannot be read.
func mountedConf(sv stack.Service, base, option string) (doc *parsers.Document, mounted bool) {
	target := ""
	if option != "" {
		target, _, _ = stack.Option(sv.Service.Command, option)
	}
	for _, v := range sv.Service.Volumes {
		if !strings.Contains(path.Base(v.Source), base) && !strings.Contains(path.Base(v.Target), base) && (target == "" || v.Target != target) {
			continue
		}
		mounted = true
		if !strings.HasPrefix(v.Source, ".") && !strings.HasPrefix(v.Source, "/") {
			return nil, true // a named volume
		}
		p := v.Source
		if !path.IsAbs(p) {
			p = path.Join(path.Dir(sv.File.Doc.Path), p)
		}
		src, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil || len(src) > 1<<20 {
			return nil, true
		}
		return parsers.NewDocument(p, parsers.KindUnknown, src), true
	}
	if target != "" {
		return nil, true // config_file names a file no mount provides
	}
	return nil, false
}

// confValue reads the last `name = value` (PostgreSQL) or `name value`
// (Redis) line of a server configuration file, comments dropped.
func confValue(doc *parsers.Document, name string) (string, Source, bool) {
	value, src, found := "", Source{}, false
	off := 0
	for _, line := range strings.SplitAfter(string(doc.Src), "\n") {
		text := line
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == '=' || r == '\r' || r == '\n' })
		if len(fields) >= 2 && strings.EqualFold(fields[0], name) {
			value = strings.Trim(fields[1], `'"`)
			start := off + strings.Index(line, fields[1])
			src, found = Source{Doc: doc, Span: parsers.Span{Start: start, End: start + len(fields[1])}}, true
		}
		off += len(line)
	}
	return value, src, found
}

func confHas(doc *parsers.Document, directive string) bool {
	for _, line := range strings.Split(string(doc.Src), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && (f[0] == directive || strings.HasPrefix(f[0], directive+"_")) {
			return true
		}
	}
	return false
}
