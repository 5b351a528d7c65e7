package capacity

import (
	"fmt"
	"sort"
	"strings"
)

// Infrastructure is what lives outside the repository, declared in the
// infrastructure: section of .headroom.yaml: the limits of PostgreSQL and
// Redis servers the stack does not run (RDS, Cloud SQL, a managed Redis),
// and the replicas, CPUs and memory of services that Kubernetes, ECS or a
// PaaS sets instead of compose. A declared value wins over a default and
// over what compose says.
type Infrastructure struct {
	// Path is the configuration file the values were read from.
	Path string
	// Postgres and Redis are keyed by the host as the settings name it, or
	// "default" for any other server.
	Postgres map[string]PostgresDecl
	Redis    map[string]RedisDecl
	// Services are keyed by compose service name.
	Services map[string]ServiceDecl
}

// Declared is one declared number and the line of the configuration file
// that declares it (Line 0: not declared).
type Declared struct {
	Value float64
	Line  int
}

// Set says the value is declared.
func (d Declared) Set() bool { return d.Line > 0 }

// PostgresDecl is a declared PostgreSQL server.
type PostgresDecl struct{ MaxConnections, Reserved Declared }

// RedisDecl is a declared Redis server.
type RedisDecl struct{ MaxClients Declared }

// ServiceDecl is a declared service: replicas, CPUs and memory (bytes).
type ServiceDecl struct{ Replicas, CPUs, Memory Declared }

// DefaultHost is the infrastructure key that declares every server no
// other key names.
const DefaultHost = "default"

// Key is the configuration key that declares a value: kind "postgres",
// "redis" or "services", name the host or service, field the setting.
func Key(kind, name, field string) string {
	if name == "" {
		name = DefaultHost
	}
	return fmt.Sprintf("infrastructure.%s.%s.%s", kind, name, field)
}

// lookup finds what decls declare of host: its own entry, else the
// default one; name is the key it was found under.
func lookup[T any](decls map[string]T, host string) (d T, name string, ok bool) {
	if d, ok := decls[host]; ok && host != "" {
		return d, host, true
	}
	d, ok = decls[DefaultHost]
	return d, DefaultHost, ok
}

// Service returns what is declared of a service (zero when nothing is).
func (in *Infrastructure) Service(name string) ServiceDecl {
	if in == nil {
		return ServiceDecl{}
	}
	return in.Services[name]
}

// declared is the Source of a value the configuration declares.
func (in *Infrastructure) declared(d Declared, key string) Source {
	return Source{Declared: true, ConfigPath: in.Path, ConfigLine: d.Line, What: "declared: " + key}
}

// Assumption is a number the model (or the report built on it) takes on
// trust because no file states it: what it is, its value, where it is
// used, and the key of .headroom.yaml that replaces it.
type Assumption struct {
	What  string `json:"what"`
	Value string `json:"value"`
	Used  string `json:"used"`
	Key   string `json:"key"`
}

// Assumptions lists every assumed value of the model: the limits of
// servers outside the stack at their defaults (Redis's maxclients,
// PostgreSQL's max_connections and superuser_reserved_connections), and
// the memory of one worker process at its default estimate.
func (m *Model) Assumptions() []Assumption {
	var out []Assumption
	for _, s := range m.Postgres {
		if s.Service.Service != nil || s.Unread {
			continue
		}
		host := s.declKey()
		if s.MaxConnections.From.Default {
			out = append(out, Assumption{What: "max_connections of PostgreSQL " + s.Label(), Value: fmt.Sprint(s.MaxConnections.N),
				Used: "the PostgreSQL budget of " + s.Label() + " (HR901, HR101's worker target)", Key: Key("postgres", host, "max_connections")})
		}
		if s.Reserved.From.Default {
			out = append(out, Assumption{What: "superuser_reserved_connections of PostgreSQL " + s.Label(), Value: fmt.Sprint(s.Reserved.N),
				Used: "the PostgreSQL budget of " + s.Label() + " (HR901, HR101's worker target)", Key: Key("postgres", host, "superuser_reserved_connections")})
		}
	}
	for _, s := range m.Redis {
		if s.Service.Service != nil || s.Unread || !s.MaxClients.From.Default {
			continue
		}
		out = append(out, Assumption{What: "maxclients of Redis " + s.Name, Value: fmt.Sprint(s.MaxClients.N),
			Used: "the Redis budget of " + s.Name + " (HR902)", Key: Key("redis", s.Name, "maxclients")})
	}
	for _, b := range m.Bouncers {
		where := "pgbouncer.ini of " + b.Name
		if b.Service.Service != nil {
			where = fmt.Sprintf("%s in the environment of service %s, or its pgbouncer.ini", bouncerEnv["default_pool_size"][0], b.Name)
		}
		for _, s := range []struct {
			name, value string
			from        Source
			used        string
		}{
			{"pool_mode", b.Mode, b.ModeFrom, "the report's hold time of a connection"},
			{"default_pool_size", fmt.Sprint(b.PoolSize.N), b.PoolSize.From, "PgBouncer's share of the PostgreSQL budget (HR901)"},
			{"max_client_conn", fmt.Sprint(b.MaxClientConn.N), b.MaxClientConn.From, "the PgBouncer budget of " + b.Name},
		} {
			if s.from.Default {
				out = append(out, Assumption{What: s.name + " of PgBouncer " + b.Name, Value: s.value, Used: s.used,
					Key: strings.Replace(where, bouncerEnv["default_pool_size"][0], bouncerEnv[s.name][0], 1)})
			}
		}
	}
	for _, u := range m.Units {
		if u.HostSized && u.Compose.Service != nil && !u.CeleryConcurrency().Known {
			out = append(out, Assumption{What: "CPUs of the host running " + u.Service, Value: fmt.Sprint(AssumedHostCPUs),
				Used: u.Service + "'s pool size (Celery starts one per CPU without --concurrency; HR507, HR901, HR902)", Key: Key("services", u.Service, "cpus")})
		}
	}
	for _, u := range m.Units {
		if u.WorkersFormula != "" && u.Compose.Service != nil && !u.Processes.Known {
			out = append(out, Assumption{What: "CPUs of the host running " + u.Service, Value: fmt.Sprint(AssumedHostCPUs),
				Used: u.Service + "'s gunicorn workers (its config computes them from the CPU count: " + u.WorkersFormula + ")", Key: Key("services", u.Service, "cpus")})
		}
	}
	if len(m.Units) > 0 && m.WorkerMemory == DefaultWorkerMemoryMB<<20 {
		out = append(out, Assumption{What: "memory of one worker process", Value: fmt.Sprintf("%d MiB", m.WorkerMemory>>20),
			Used: "the memory budgets and HR101's worker target under a memory limit", Key: "targets.worker_memory_mb"})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// declKey is the infrastructure key naming the server: the host the
// settings name (the first), or "default".
func (s *DBServer) declKey() string {
	if len(s.Hosts) > 0 && s.Hosts[0] != "" {
		return s.Hosts[0]
	}
	return DefaultHost
}

// Label is the server's name in messages.
func (s *DBServer) Label() string {
	if s.Name == "" {
		return "the database"
	}
	return s.Name
}

// DeclareKey is the key of .headroom.yaml that declares the server's
// max_connections.
func (s *DBServer) DeclareKey() string { return Key("postgres", s.declKey(), "max_connections") }

// DeclareKey is the key of .headroom.yaml that declares the server's
// maxclients.
func (s *RedisServer) DeclareKey() string { return Key("redis", s.Name, "maxclients") }
