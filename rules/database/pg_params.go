package database

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/parsers/requirements"
	"github.com/headroom-dev/headroom/stack"
)

// pgContext is when a PostgreSQL parameter may be set (GucContext in
// src/include/utils/guc.h): what decides whether `-c name=value` in a
// connection's options works.
type pgContext int

const (
	pgInternal   pgContext = iota // read-only: fixed at build or initdb
	pgPostmaster                  // server start only
	pgSighup                      // postgresql.conf and reload only
	pgSuBackend                   // at connection start, by a superuser
	pgBackend                     // at connection start, by anyone
	pgSuset                       // any time, by a superuser
	pgUserset                     // any time, by anyone
)

func (c pgContext) String() string {
	return [...]string{"internal", "postmaster", "sighup", "superuser-backend", "backend", "superuser", "user"}[c]
}

// pgLater are the parameters PostgreSQL added after 15, with their
// contexts, as src/backend/utils/misc/guc_tables.c of the 18 development
// line in late 2024 (after the REL_17 branch: it holds every 17 parameter,
// transaction_timeout and io_combine_limit among them) declares them.
// Developer options compiled only into debug builds are left out.
var pgLater = map[string]pgContext{
	"allow_alter_system":                          pgSighup,
	"commit_timestamp_buffers":                    pgPostmaster,
	"createrole_self_grant":                       pgUserset,
	"debug_io_direct":                             pgPostmaster,
	"debug_logical_replication_streaming":         pgUserset,
	"debug_parallel_query":                        pgUserset,
	"enable_group_by_reordering":                  pgUserset,
	"enable_presorted_aggregate":                  pgUserset,
	"event_triggers":                              pgSuset,
	"gss_accept_delegation":                       pgSighup,
	"huge_pages_status":                           pgInternal,
	"icu_validation_level":                        pgUserset,
	"io_combine_limit":                            pgUserset,
	"max_notify_queue_pages":                      pgPostmaster,
	"max_parallel_apply_workers_per_subscription": pgSighup,
	"multixact_member_buffers":                    pgPostmaster,
	"multixact_offset_buffers":                    pgPostmaster,
	"notify_buffers":                              pgPostmaster,
	"reserved_connections":                        pgPostmaster,
	"scram_iterations":                            pgUserset,
	"send_abort_for_crash":                        pgSighup,
	"send_abort_for_kill":                         pgSighup,
	"serializable_buffers":                        pgPostmaster,
	"subtransaction_buffers":                      pgPostmaster,
	"summarize_wal":                               pgSighup,
	"sync_replication_slots":                      pgSighup,
	"synchronized_standby_slots":                  pgSighup,
	"trace_connection_negotiation":                pgPostmaster,
	"transaction_buffers":                         pgPostmaster,
	"transaction_timeout":                         pgUserset,
	"vacuum_buffer_usage_limit":                   pgUserset,
	"wal_summary_keep_time":                       pgSighup,
}

// pgRemovedLater are the 15 parameters that table no longer has, with the
// release that dropped them (16 renamed force_parallel_mode to
// debug_parallel_query and dropped promote_trigger_file and
// vacuum_defer_cleanup_age; 17 dropped old_snapshot_threshold,
// db_user_namespace and trace_recovery_messages: the release notes).
var pgRemovedLater = map[string]int{
	"force_parallel_mode": 16, "promote_trigger_file": 16, "vacuum_defer_cleanup_age": 16,
	"old_snapshot_threshold": 17, "db_user_namespace": 17, "trace_recovery_messages": 17,
}

// pgParam is what PostgreSQL's tables say of one parameter.
type pgParam struct {
	known   bool
	context pgContext
	// first is the oldest release read that has it ("13", "15", or "16"
	// for the later table); gone is the first read that no longer does;
	// removed the release that dropped it, when known exactly.
	first, gone string
	removed     int
}

// lookupPG finds a parameter (names are case-insensitive) in the tables.
func lookupPG(name string) pgParam {
	name = strings.ToLower(name)
	var p pgParam
	if c, ok := pgTables["13.16"][name]; ok {
		p = pgParam{known: true, context: c, first: "13"}
	}
	if c, ok := pgTables["15.18"][name]; ok {
		if !p.known {
			p = pgParam{known: true, context: c, first: "15"}
		}
		p.context = c
	} else if p.known {
		p.gone = "15"
	}
	if c, ok := pgLater[name]; ok {
		if !p.known {
			p = pgParam{known: true, context: c, first: "16"}
		}
		p.context = c
	}
	if r, ok := pgRemovedLater[name]; ok {
		p.gone, p.removed = "16", r
	}
	return p
}

// versionProblem says why the parameter does not exist in release v (the
// major version the stack's postgres image pins), or "" when it does or
// the tables cannot tell (a release between two that were read).
func (p pgParam) versionProblem(v requirements.Version) string {
	if !v.Known() || !p.known {
		return ""
	}
	major := v[0]
	switch {
	case p.first == "15" && major <= 13:
		return "it is not a parameter of PostgreSQL 13 (it appeared in 14 or 15)"
	case p.first == "16" && major <= 15:
		return "it is not a parameter of PostgreSQL 15 or earlier (it appeared in 16 or 17)"
	case p.gone == "15" && major >= 15:
		return "PostgreSQL 14 or 15 removed it"
	case p.removed > 0 && major >= p.removed:
		return fmt.Sprintf("PostgreSQL %d removed it", p.removed)
	}
	return ""
}

// postgresVersion is the lowest release the stack's postgres images pin.
func postgresVersion(s *stack.Stack) (requirements.Version, bool) {
	var out requirements.Version
	found := false
	for _, sv := range s.Images("postgres") {
		_, tag := stack.SplitImage(sv.Service.Image)
		v := stack.TagVersion(tag)
		if !v.Known() {
			return nil, false
		}
		if !found || !v.AtLeast(out...) {
			out, found = v, true
		}
	}
	return out, found
}
