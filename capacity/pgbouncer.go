package capacity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/stack"
)

// PgBouncer's defaults (pgbouncer.ini(5) of PgBouncer 1.18, GENERIC
// SETTINGS): "pool_mode ... session ... Default", "default_pool_size ...
// Default: 20", "reserve_pool_size ... Default: 0 (disabled)",
// "max_client_conn ... Default: 100", "max_db_connections ... Default:
// unlimited" (0).
const (
	BouncerPoolMode      = "session"
	BouncerPoolSize      = 20
	BouncerReservePool   = 0
	BouncerMaxClientConn = 100
)

// PgBouncerServer is the Server of the unit standing for a PgBouncer in a
// PostgreSQL budget: it holds the server connections, not the app.
const PgBouncerServer Server = "pgbouncer"

// Bouncer is a PgBouncer the units reach PostgreSQL through. It holds at
// most default_pool_size (+ reserve_pool_size) server connections per
// (database, user) pair, "How many server connections to allow per
// user/database pair", and opens one only for a client waiting for one, so
// never more than its clients use at once; max_db_connections caps a
// database's pools together.
type Bouncer struct {
	// Name is the compose service running it, else the host the settings
	// name.
	Name    string
	Hosts   []string
	Service stack.Service
	// Mode is pool_mode: "session" (the default: a server connection per
	// client connection, for its life), "transaction" or "statement".
	Mode                                         string
	ModeFrom                                     Source
	PoolSize, Reserve, MaxClientConn, MaxDBConns Count
	// Upstream is the PostgreSQL host behind it ("" when not read).
	Upstream string
	// Server is the PostgreSQL server behind it.
	Server *DBServer
	// Unit stands for it in the PostgreSQL budget's terms.
	Unit *Unit
}

// Transaction says a server connection returns to the pool at the end of
// each transaction (or statement), so the app holds one only while it is
// in a transaction.
func (b *Bouncer) Transaction() bool { return b.Mode == "transaction" || b.Mode == "statement" }

// bouncerEnv are the environment variables of the images that run
// PgBouncer from their environment: edoburu/pgbouncer, then
// bitnami/pgbouncer.
var bouncerEnv = map[string][]string{
	"pool_mode":          {"POOL_MODE", "PGBOUNCER_POOL_MODE"},
	"default_pool_size":  {"DEFAULT_POOL_SIZE", "PGBOUNCER_DEFAULT_POOL_SIZE"},
	"reserve_pool_size":  {"RESERVE_POOL_SIZE", "PGBOUNCER_RESERVE_POOL_SIZE"},
	"max_client_conn":    {"MAX_CLIENT_CONN", "PGBOUNCER_MAX_CLIENT_CONN"},
	"max_db_connections": {"MAX_DB_CONNECTIONS", "PGBOUNCER_MAX_DB_CONNECTIONS"},
	"host":               {"DB_HOST", "POSTGRESQL_HOST"},
}

// bouncer resolves the PgBouncer host names: its settings from a mounted
// pgbouncer.ini, else the compose service's environment, else PgBouncer's
// defaults (assumed).
func (m *Model) bouncer(host string) *Bouncer {
	b := &Bouncer{Name: host, Hosts: []string{host}, Mode: BouncerPoolMode,
		ModeFrom:      defaultSource("PgBouncer's default pool_mode = session"),
		PoolSize:      known(BouncerPoolSize, defaultSource("PgBouncer's default default_pool_size = 20")),
		Reserve:       known(BouncerReservePool, defaultSource("PgBouncer's default reserve_pool_size = 0")),
		MaxClientConn: known(BouncerMaxClientConn, defaultSource("PgBouncer's default max_client_conn = 100")),
		MaxDBConns:    known(0, defaultSource("PgBouncer's default max_db_connections = 0 (unlimited)")),
	}
	sv := m.Stack.ComposeService(host)
	u := &Unit{Service: host, Server: PgBouncerServer, Replicas: known(1, Source{}), Processes: known(1, Source{})}
	b.Unit = u
	if sv.Service == nil {
		return b
	}
	b.Service, b.Name, u.Service, u.Compose = sv, sv.Service.Name, sv.Service.Name, sv
	u.Doc, u.Argv = sv.File.Doc, parsers.Argv{Doc: sv.File.Doc, Span: sv.Service.NameSpan}
	ini, _ := mountedConf(sv, "pgbouncer.ini", "")
	read := func(name string) (string, Source, bool) {
		if ini != nil {
			if v, src, ok := confValue(ini, name); ok {
				src.What = fmt.Sprintf("%s: %s = %s in %s", b.Name, name, v, ini.Path)
				return v, src, true
			}
		}
		for _, env := range bouncerEnv[name] {
			if e, ok := sv.Service.Env(env); ok && e.HasValue {
				return e.Value, Source{Doc: sv.File.Doc, Span: e.Span, What: fmt.Sprintf("%s: %s = %s (%s)", b.Name, env, e.Value, name)}, true
			}
		}
		return "", Source{}, false
	}
	if v, src, ok := read("pool_mode"); ok {
		b.Mode, b.ModeFrom = strings.ToLower(strings.TrimSpace(v)), src
	}
	for name, c := range map[string]*Count{"default_pool_size": &b.PoolSize, "reserve_pool_size": &b.Reserve,
		"max_client_conn": &b.MaxClientConn, "max_db_connections": &b.MaxDBConns} {
		if v, src, ok := read(name); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
				*c = known(n, src)
			} else {
				*c = Count{N: c.N, From: Source{Doc: src.Doc, Span: src.Span, What: src.What + ": not a number, " + c.From.What}}
			}
		}
	}
	if v, _, ok := read("host"); ok {
		b.Upstream = strings.TrimSpace(v)
	}
	return b
}

// ServerConns is what the bouncer holds of PostgreSQL for clients client
// connections (or transactions in flight, in transaction mode) of one
// (database, user) pair: min(default_pool_size + reserve_pool_size,
// clients), within max_db_connections where it is set.
func (b *Bouncer) ServerConns(clients int) int {
	n := min(b.PoolSize.N+b.Reserve.N, clients)
	if b.MaxDBConns.N > 0 {
		n = min(n, b.MaxDBConns.N)
	}
	return n
}

// Bouncer returns the PgBouncer host names, nil when it is none.
func (m *Model) Bouncer(host string) *Bouncer {
	for _, b := range m.Bouncers {
		if containsStr(b.Hosts, host) {
			return b
		}
	}
	return nil
}

// pgPair is the (database, user) pair an alias opens through PgBouncer:
// its NAME and USER as the settings give them, the alias where unread.
func pgPair(p *PGUse) string {
	name, okN := str(p.Settings, p.DB.Get("NAME"))
	user, okU := str(p.Settings, p.DB.Get("USER"))
	if !okN || !okU {
		return "alias " + p.Alias
	}
	return name + "/" + user
}

// bouncerClients is, per (database, user) pair in order of first use,
// the client connections the units open through the bouncer at once.
func (m *Model) bouncerClients(bn *Bouncer) (order []string, pairs map[string]int) {
	pairs = map[string]int{}
	for _, u := range m.Units {
		for _, p := range u.Postgres {
			if p.Mode != PGBouncer || !containsStr(bn.Hosts, p.Host) {
				continue
			}
			k := pgPair(p)
			if _, ok := pairs[k]; !ok {
				order = append(order, k)
			}
			pairs[k] += u.Total() * p.PerProcess
		}
	}
	return order, pairs
}

// bouncerTerm is the bouncer's share of its PostgreSQL server's budget:
// ServerConns of each (database, user) pair's clients.
func (m *Model) bouncerTerm(bn *Bouncer) Term {
	order, pairs := m.bouncerClients(bn)
	held, parts := 0, []string(nil)
	for _, k := range order {
		n := bn.ServerConns(pairs[k])
		held += n
		parts = append(parts, fmt.Sprintf("%s: min(%d, %d clients) = %d", k, bn.PoolSize.N+bn.Reserve.N, pairs[k], n))
	}
	within := ""
	if bn.MaxDBConns.N > 0 {
		within = fmt.Sprintf(", within max_db_connections %d", bn.MaxDBConns.N)
	}
	return Term{Unit: bn.Unit, PerProcess: held, N: held,
		Text: fmt.Sprintf("%s pool_mode %s x default_pool_size %d (%d)", bn.Name, bn.Mode, bn.PoolSize.N, held),
		Why: fmt.Sprintf("PgBouncer %s holds at most default_pool_size %d + reserve_pool_size %d server connections per database/user pair%s, and no more than its clients use at once: %s (%s; %s)",
			bn.Name, bn.PoolSize.N, bn.Reserve.N, within, strings.Join(parts, ", "), bn.PoolSize.From.What, bn.ModeFrom.What)}
}

// ServerConns is what the bouncer holds of PostgreSQL at most: the sum over
// its database/user pairs of min(default_pool_size + reserve_pool_size,
// the clients of the pair), as its term in the PostgreSQL budget counts.
func (m *Model) ServerConns(bn *Bouncer) int { return m.bouncerTerm(bn).N }

// bouncerBudget is the budget of the bouncer's client connections against
// its max_client_conn: the app's connections, which PostgreSQL no longer
// sees.
func (m *Model) bouncerBudget(bn *Bouncer) Budget {
	b := Budget{Key: BouncerKey(bn), Resource: PgBouncerClients, Name: bn.Name, Unit: "connections",
		Limit: bn.MaxClientConn.N, LimitKnown: bn.MaxClientConn.Known, Assumed: bn.Service.Service == nil && bn.MaxClientConn.From.Default,
		LimitFrom: bn.MaxClientConn.From, LimitName: "max_client_conn", DeclareKey: Key("pgbouncer", bn.Name, "max_client_conn")}
	for _, u := range m.Units {
		per, lower := 0, false
		for _, p := range u.Postgres {
			if p.Mode == PGBouncer && containsStr(bn.Hosts, p.Host) {
				per += p.PerProcess
				lower = lower || p.Lower
			}
		}
		if per == 0 {
			continue
		}
		t := Term{Unit: u, PerProcess: per, N: u.Total() * per, Lower: lower || u.Lower()}
		t.Text = pgTerm(u, false, per, t.N)
		t.Why = fmt.Sprintf("%s: %s, %d client connection%s each to PgBouncer %s", u.Service, text.Plural(u.Total(), "process"), per, map[bool]string{true: "s"}[per != 1], bn.Name)
		b.Terms = append(b.Terms, t)
		b.Used += t.N
		b.Lower = b.Lower || t.Lower
	}
	return b
}

// BouncerKey is the key of a PgBouncer's client budget.
func BouncerKey(b *Bouncer) string { return "pgbouncer:" + b.Name }
