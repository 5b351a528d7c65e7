package database

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/python"
	"github.com/headroom-dev/headroom/rules"
)

// PostgresOptions is HR203.
var PostgresOptions = &rules.Rule{
	ID:       "HR203",
	Name:     "postgres-options",
	Phase:    1,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindPython},
	Fixable:  true,
	Doc: rules.Doc{
		Title: "PostgreSQL connection options: unknown -c parameters, no connect timeout or keepalives",
		Why: `OPTIONS of a PostgreSQL alias are passed to libpq. Two things matter for capacity:

- options: '-c name=value' sets server parameters for the session. Only real
  PostgreSQL parameters work (statement_timeout, lock_timeout,
  idle_in_transaction_session_timeout, idle_session_timeout, transaction_timeout from
  PostgreSQL 17, ...). Any other name, such as the capacity report's
  default_statement_timeout, makes every connection fail with "unrecognized
  configuration parameter"; server-only parameters (max_connections,
  shared_buffers, ...) fail with "cannot be changed now". This is an error.
- connect_timeout bounds how long a worker waits for an unreachable database (libpq
  waits indefinitely by default, holding the worker), and TCP keepalives
  (keepalives, keepalives_idle, keepalives_interval, keepalives_count) detect
  connections that a failover, NAT or firewall silently dropped, instead of leaving
  a request hanging on a dead socket. Missing ones are a warning.`,
		Impact: "part of the report's database change (30-50% faster database responses): no hung workers on dead or unreachable databases, no failed connections from a bad parameter",
		Fix: `Adds the missing libpq keys to OPTIONS with the report's values: connect_timeout: 10,
keepalives: 1, keepalives_idle: 30, keepalives_interval: 10, keepalives_count: 5, in
the author's form (dict literal keys on their own lines, or
DATABASES["default"]["OPTIONS"][...] lines). Safe: they bound waits and detect dead
peers, nothing else. Only for the postgresql ENGINE, and never where OPTIONS may be
filled by something headroom cannot read (a URL, a **splat). Keepalive keys are not
added where the author set keepalives to 0.

An unknown -c parameter is never written; removing it is offered only as an unsafe
fix, since the author may have meant a different parameter (statement_timeout).`,
		Bad: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "options": "-c statement_timeout=30000 -c default_statement_timeout=30000",
        },
    }
}`,
		Good: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            "options": "-c statement_timeout=30000",
            "connect_timeout": 10,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 5,
        },
    }
}`,
		Sources: []string{
			"https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS",
			"https://www.postgresql.org/docs/current/runtime-config-client.html",
			"https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-SHELL",
			"https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-notes",
			"https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-OPTIONS",
		},
		Since: "0.1.0",
	},
	Check: checkPostgresOptions,
}

func init() { rules.Register(PostgresOptions) }

// libpqDefaults are the keys the fix adds, in order, with the report's
// values.
var libpqDefaults = []edit.PyEntry{
	edit.PyKV("connect_timeout", edit.PySrc("10")),
	edit.PyKV("keepalives", edit.PySrc("1")),
	edit.PyKV("keepalives_idle", edit.PySrc("30")),
	edit.PyKV("keepalives_interval", edit.PySrc("10")),
	edit.PyKV("keepalives_count", edit.PySrc("5")),
}

func checkPostgresOptions(pass *rules.Pass) {
	if pass.File.Python == nil {
		return
	}
	for _, a := range aliases(pass) {
		if engine(a) != "postgresql" {
			continue
		}
		opts := a.DB.Get("OPTIONS")
		if opts != nil && opts.Conditional {
			a.Cond = true
		}
		if o := opts.Get("options"); o != nil {
			checkServerOptions(pass, a, o)
		}
		checkLibpqKeys(pass, a, opts)
	}
}

func checkLibpqKeys(pass *rules.Pass, a alias, opts *python.Object) {
	if opts == nil && a.DB.Open || opts != nil && (!opts.IsDict() || opts.Open) {
		return // OPTIONS may come from a URL or a splat headroom cannot read
	}
	var missing []edit.PyEntry
	var names []string
	keepaliveOff := false
	if k := opts.Get("keepalives"); k != nil {
		if l, ok := k.Value().Effective(); ok && !l.Truthy() {
			keepaliveOff = true
		}
	}
	for _, e := range libpqDefaults {
		if opts.Get(e.Key) != nil || keepaliveOff && strings.HasPrefix(e.Key, "keepalives") {
			continue
		}
		missing = append(missing, e)
		names = append(names, e.Key)
	}
	if len(missing) == 0 {
		return
	}
	span, at := keySpan(a.DB), a.DB.Doc()
	if opts != nil {
		span, at = keySpan(opts), opts.Doc()
	}
	edits, err := set(a, []string{"DATABASES", a.Name, "OPTIONS"}, missing...)
	report(pass, a, rules.Diagnostic{
		Span:    span,
		Message: fmt.Sprintf("%s OPTIONS lacks %s: a worker waits without bound on an unreachable database, and connections dropped by a failover or firewall hang until the OS gives up", where(a), strings.Join(names, ", ")),
		Fixes:   fix("add "+strings.Join(names, ", "), rules.Safe, edits, err),
	}, at, opts)
}

// serverParam matches one parameter setting in a libpq options string:
// "-c name=value", "-cname=value" or "--name=value".
var serverParam = regexp.MustCompile(`(?:^|\s)(-c\s*|--)([A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(\S*)`)

func checkServerOptions(pass *rules.Pass, a alias, o *python.Object) {
	v := a.St.Value(o)
	lit := v.Lit
	if !v.Known || lit.Kind != python.Str || v.Env != nil {
		return // a value set in the deployment's environment is checked where it is written only
	}
	doc := o.Doc()
	// The string as written: its own span, or the env default's.
	expr := o.Expr
	if v := o.Value(); v.Kind == python.EnvDefault && v.Default != nil {
		expr = v.Default
	}
	raw := doc.Text(expr.Span)
	for _, sm := range serverParam.FindAllStringSubmatchIndex(lit.Str, -1) {
		name := lit.Str[sm[4]:sm[5]]
		key := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
		var problem string
		switch {
		case strings.Contains(key, "."), sessionParams[key]:
			continue // custom placeholder parameters (myapp.x) are allowed
		case serverParams[key]:
			problem = "is a server-wide PostgreSQL parameter that cannot be set per connection"
		default:
			problem = "is not a PostgreSQL parameter"
		}
		setting := strings.TrimSpace(lit.Str[sm[0]:sm[1]])
		span := expr.Span
		if i := strings.Index(raw, name); i >= 0 {
			span = parsers.Span{Start: expr.Span.Start + i, End: expr.Span.Start + i + len(name)}
		}
		msg := fmt.Sprintf("%s OPTIONS options: %q %s: every connection fails", where(a), name, problem)
		if hint := nearest[key]; hint != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", hint)
		}
		d := rules.Diagnostic{Span: span, Severity: rules.Error, Message: msg}
		if i := strings.Index(raw, setting); i >= 0 && strings.Count(raw, setting) == 1 {
			start, end := expr.Span.Start+i, expr.Span.Start+i+len(setting)
			src := doc.Src
			switch {
			case start > expr.Span.Start && (src[start-1] == ' ' || src[start-1] == '\t'):
				for start > expr.Span.Start && (src[start-1] == ' ' || src[start-1] == '\t') {
					start--
				}
			default:
				for end < expr.Span.End && (src[end] == ' ' || src[end] == '\t') {
					end++
				}
			}
			d.Fixes = []rules.Fix{{
				Message:       fmt.Sprintf("remove %q from options", setting),
				Applicability: rules.Unsafe,
				Edits:         []edit.TextEdit{{Path: doc.Path, Span: parsers.Span{Start: start, End: end}, New: ""}},
			}}
		}
		report(pass, a, d, doc, o)
	}
}

// nearest suggests the real parameter for names people write by mistake.
var nearest = map[string]string{
	"default_statement_timeout":   "statement_timeout",
	"statement_timeout_ms":        "statement_timeout",
	"query_timeout":               "statement_timeout",
	"idle_timeout":                "idle_session_timeout",
	"idle_transaction_timeout":    "idle_in_transaction_session_timeout",
	"default_lock_timeout":        "lock_timeout",
	"connect_timeout":             "the libpq key connect_timeout in OPTIONS",
	"keepalives":                  "the libpq key keepalives in OPTIONS",
	"default_transaction_timeout": "transaction_timeout",
}

// serverParams can only be set in postgresql.conf or at server start.
var serverParams = set2(`archive_command archive_mode autovacuum autovacuum_max_workers autovacuum_naptime
bgwriter_delay checkpoint_completion_target checkpoint_timeout cluster_name config_file data_directory
hba_file huge_pages ident_file listen_addresses log_destination logging_collector max_connections
max_files_per_process max_locks_per_transaction max_logical_replication_workers max_parallel_workers
max_pred_locks_per_transaction max_prepared_transactions max_replication_slots max_wal_senders
max_wal_size max_worker_processes min_wal_size port primary_conninfo shared_buffers
shared_preload_libraries ssl ssl_cert_file ssl_key_file superuser_reserved_connections
reserved_connections unix_socket_directories wal_buffers wal_level wal_log_hints`)

// sessionParams are the PostgreSQL parameters (up to 17) a connection may
// set with -c (some need superuser; the server says so if so).
var sessionParams = set2(`allow_in_place_tablespaces application_name array_nulls backend_flush_after
backslash_quote bytea_output check_function_bodies client_connection_check_interval client_encoding
client_min_messages commit_delay commit_siblings compute_query_id constraint_exclusion
cpu_index_tuple_cost cpu_operator_cost cpu_tuple_cost createrole_self_grant cursor_tuple_fraction
datestyle debug_parallel_query debug_pretty_print debug_print_parse debug_print_plan
debug_print_rewritten default_statistics_target default_table_access_method default_tablespace
default_text_search_config default_toast_compression default_transaction_deferrable
default_transaction_isolation default_transaction_read_only effective_cache_size
effective_io_concurrency enable_async_append enable_bitmapscan enable_gathermerge
enable_group_by_reordering enable_hashagg enable_hashjoin enable_incremental_sort
enable_indexonlyscan enable_indexscan enable_material enable_memoize enable_mergejoin
enable_nestloop enable_parallel_append enable_parallel_hash enable_partition_pruning
enable_partitionwise_aggregate enable_partitionwise_join enable_presorted_aggregate enable_seqscan
enable_sort enable_tidscan escape_string_warning event_triggers exit_on_error extra_float_digits
force_parallel_mode from_collapse_limit geqo geqo_effort geqo_generations geqo_pool_size geqo_seed
geqo_selection_bias geqo_threshold gin_fuzzy_search_limit gin_pending_list_limit hash_mem_multiplier
icu_validation_level idle_in_transaction_session_timeout idle_session_timeout ignore_checksum_failure
intervalstyle jit jit_above_cost jit_inline_above_cost jit_optimize_above_cost join_collapse_limit
lc_messages lc_monetary lc_numeric lc_time lo_compat_privileges local_preload_libraries lock_timeout
log_duration log_error_verbosity log_executor_stats log_lock_waits log_min_duration_sample
log_min_duration_statement log_min_error_statement log_min_messages log_parameter_max_length
log_parameter_max_length_on_error log_parser_stats log_planner_stats log_replication_commands
log_statement log_statement_sample_rate log_statement_stats log_temp_files
log_transaction_sample_rate logical_decoding_work_mem maintenance_io_concurrency
maintenance_work_mem max_parallel_maintenance_workers max_parallel_workers_per_gather max_stack_depth
min_parallel_index_scan_size min_parallel_table_scan_size parallel_leader_participation
parallel_setup_cost parallel_tuple_cost password_encryption plan_cache_mode quote_all_identifiers
random_page_cost recursive_worktable_factor role row_security scram_iterations search_path
seq_page_cost session_authorization session_preload_libraries session_replication_role
standard_conforming_strings statement_timeout stats_fetch_consistency synchronize_seqscans
synchronous_commit tcp_keepalives_count tcp_keepalives_idle tcp_keepalives_interval tcp_user_timeout
temp_buffers temp_file_limit temp_tablespaces timezone timezone_abbreviations trace_notify trace_sort
track_activities track_counts track_functions track_io_timing track_wal_io_timing
transaction_deferrable transaction_isolation transaction_read_only transaction_timeout
transform_null_equals vacuum_buffer_usage_limit vacuum_cost_delay vacuum_cost_limit
vacuum_cost_page_dirty vacuum_cost_page_hit vacuum_cost_page_miss vacuum_failsafe_age
vacuum_freeze_min_age vacuum_freeze_table_age vacuum_multixact_failsafe_age
vacuum_multixact_freeze_min_age vacuum_multixact_freeze_table_age wal_compression wal_sender_timeout
wal_skip_threshold work_mem xmlbinary xmloption zero_damaged_pages`)

func set2(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}
