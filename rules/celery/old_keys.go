package celery

// oldKeys are the CELERY_-prefixed names Celery still reads as its pre-4.0
// upper-case settings when config_from_object loads an object without a
// namespace: the old key of every option whose old name starts with
// CELERY_, as celery/app/defaults.py (5.x) computes them (_TO_NEW_KEY:
// each option's `old` names, or its namespace's __old__ pattern). Among
// them CELERY_RESULT_BACKEND (result_backend), CELERY_TASK_SERIALIZER,
// CELERY_ACCEPT_CONTENT, CELERY_TIMEZONE, CELERY_ACKS_LATE
// (task_acks_late) and CELERY_IGNORE_RESULT (task_ignore_result); not
// CELERY_BROKER_URL (the old name is BROKER_URL) nor the new names with a
// CELERY_ prefix such as CELERY_TASK_ACKS_LATE or
// CELERY_WORKER_PREFETCH_MULTIPLIER (old: CELERYD_PREFETCH_MULTIPLIER).
var oldKeys = map[string]string{
	// top level, old=OLD_NS
	"CELERY_ACCEPT_CONTENT": "accept_content",
	"CELERY_IMPORTS":        "imports",
	"CELERY_INCLUDE":        "include",
	"CELERY_TIMEZONE":       "timezone",
	// cache, __old__=celery_cache_{0}
	"CELERY_CACHE_BACKEND":         "cache_backend",
	"CELERY_CACHE_BACKEND_OPTIONS": "cache_backend_options",
	// couchbase, arangodb, mongodb
	"CELERY_COUCHBASE_BACKEND_SETTINGS": "couchbase_backend_settings",
	"CELERY_ARANGODB_BACKEND_SETTINGS":  "arangodb_backend_settings",
	"CELERY_MONGODB_BACKEND_SETTINGS":   "mongodb_backend_settings",
	// event, __old__=celery_event_{0}
	"CELERY_EVENT_QUEUE_EXPIRES": "event_queue_expires",
	"CELERY_EVENT_QUEUE_TTL":     "event_queue_ttl",
	"CELERY_EVENT_QUEUE_PREFIX":  "event_queue_prefix",
	"CELERY_EVENT_SERIALIZER":    "event_serializer",
	"CELERY_EVENT_EXCHANGE":      "event_exchange",
	// redis, __old__=celery_redis_{0}
	"CELERY_REDIS_BACKEND_USE_SSL":        "redis_backend_use_ssl",
	"CELERY_REDIS_DB":                     "redis_db",
	"CELERY_REDIS_HOST":                   "redis_host",
	"CELERY_REDIS_MAX_CONNECTIONS":        "redis_max_connections",
	"CELERY_REDIS_USERNAME":               "redis_username",
	"CELERY_REDIS_PASSWORD":               "redis_password",
	"CELERY_REDIS_PORT":                   "redis_port",
	"CELERY_REDIS_SOCKET_TIMEOUT":         "redis_socket_timeout",
	"CELERY_REDIS_SOCKET_CONNECT_TIMEOUT": "redis_socket_connect_timeout",
	"CELERY_REDIS_RETRY_ON_TIMEOUT":       "redis_retry_on_timeout",
	"CELERY_REDIS_SOCKET_KEEPALIVE":       "redis_socket_keepalive",
	// result, __old__=celery_result_{0}
	"CELERY_RESULT_BACKEND":                               "result_backend",
	"CELERY_MAX_CACHED_RESULTS":                           "result_cache_max",
	"CELERY_RESULT_COMPRESSION":                           "result_compression",
	"CELERY_RESULT_EXCHANGE":                              "result_exchange",
	"CELERY_RESULT_EXCHANGE_TYPE":                         "result_exchange_type",
	"CELERY_TASK_RESULT_EXPIRES":                          "result_expires",
	"CELERY_RESULT_PERSISTENT":                            "result_persistent",
	"CELERY_RESULT_EXTENDED":                              "result_extended",
	"CELERY_RESULT_SERIALIZER":                            "result_serializer",
	"CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS":             "result_backend_transport_options",
	"CELERY_RESULT_CHORD_RETRY_INTERVAL":                  "result_chord_retry_interval",
	"CELERY_RESULT_CHORD_JOIN_TIMEOUT":                    "result_chord_join_timeout",
	"CELERY_RESULT_BACKEND_MAX_SLEEP_BETWEEN_RETRIES_MS":  "result_backend_max_sleep_between_retries_ms",
	"CELERY_RESULT_BACKEND_MAX_RETRIES":                   "result_backend_max_retries",
	"CELERY_RESULT_BACKEND_BASE_SLEEP_BETWEEN_RETRIES_MS": "result_backend_base_sleep_between_retries_ms",
	"CELERY_RESULT_BACKEND_ALWAYS_RETRY":                  "result_backend_always_retry",
	// elasticsearch, security
	"CELERY_ELASTICSEARCH_RETRY_ON_TIMEOUT":  "elasticsearch_retry_on_timeout",
	"CELERY_ELASTICSEARCH_MAX_RETRIES":       "elasticsearch_max_retries",
	"CELERY_ELASTICSEARCH_TIMEOUT":           "elasticsearch_timeout",
	"CELERY_ELASTICSEARCH_SAVE_META_AS_TEXT": "elasticsearch_save_meta_as_text",
	"CELERY_SECURITY_CERTIFICATE":            "security_certificate",
	"CELERY_SECURITY_CERT_STORE":             "security_cert_store",
	"CELERY_SECURITY_KEY":                    "security_key",
	"CELERY_SECURITY_KEY_PASSWORD":           "security_key_password",
	"CELERY_SECURITY_DIGEST":                 "security_digest",
	// database, explicit old names
	"CELERY_RESULT_DBURI":                   "database_url",
	"CELERY_RESULT_ENGINE_OPTIONS":          "database_engine_options",
	"CELERY_RESULT_DB_SHORT_LIVED_SESSIONS": "database_short_lived_sessions",
	"CELERY_RESULT_DB_TABLENAMES":           "database_table_names",
	// task, __old__=celery_{0} or explicit old names
	"CELERY_ACKS_LATE":                      "task_acks_late",
	"CELERY_ACKS_ON_FAILURE_OR_TIMEOUT":     "task_acks_on_failure_or_timeout",
	"CELERY_ALWAYS_EAGER":                   "task_always_eager",
	"CELERY_ANNOTATIONS":                    "task_annotations",
	"CELERY_MESSAGE_COMPRESSION":            "task_compression",
	"CELERY_CREATE_MISSING_QUEUES":          "task_create_missing_queues",
	"CELERY_INHERIT_PARENT_PRIORITY":        "task_inherit_parent_priority",
	"CELERY_DEFAULT_DELIVERY_MODE":          "task_default_delivery_mode",
	"CELERY_DEFAULT_QUEUE":                  "task_default_queue",
	"CELERY_DEFAULT_QUEUE_TYPE":             "task_default_queue_type",
	"CELERY_DEFAULT_EXCHANGE":               "task_default_exchange",
	"CELERY_DEFAULT_EXCHANGE_TYPE":          "task_default_exchange_type",
	"CELERY_DEFAULT_ROUTING_KEY":            "task_default_routing_key",
	"CELERY_DEFAULT_RATE_LIMIT":             "task_default_rate_limit",
	"CELERY_DEFAULT_PRIORITY":               "task_default_priority",
	"CELERY_EAGER_PROPAGATES_EXCEPTIONS":    "task_eager_propagates",
	"CELERY_IGNORE_RESULT":                  "task_ignore_result",
	"CELERY_STORE_EAGER_RESULT":             "task_store_eager_result",
	"CELERY_TASK_PROTOCOL":                  "task_protocol",
	"CELERY_TASK_PUBLISH_RETRY":             "task_publish_retry",
	"CELERY_TASK_PUBLISH_RETRY_POLICY":      "task_publish_retry_policy",
	"CELERY_QUEUES":                         "task_queues",
	"CELERY_QUEUE_MAX_PRIORITY":             "task_queue_max_priority",
	"CELERY_REJECT_ON_WORKER_LOST":          "task_reject_on_worker_lost",
	"CELERY_REMOTE_TRACEBACKS":              "task_remote_tracebacks",
	"CELERY_ROUTES":                         "task_routes",
	"CELERY_SEND_TASK_SENT_EVENT":           "task_send_sent_event",
	"CELERY_TASK_SERIALIZER":                "task_serializer",
	"CELERY_STORE_ERRORS_EVEN_IF_IGNORED":   "task_store_errors_even_if_ignored",
	"CELERY_TRACK_STARTED":                  "task_track_started",
	"CELERY_ALLOW_ERROR_CB_ON_CHORD_HEADER": "task_allow_error_cb_on_chord_header",
	// worker, explicit old names with a CELERY_ prefix
	"CELERY_WORKER_DIRECT":          "worker_direct",
	"CELERY_DISABLE_RATE_LIMITS":    "worker_disable_rate_limits",
	"CELERY_ENABLE_REMOTE_CONTROL":  "worker_enable_remote_control",
	"CELERY_REDIRECT_STDOUTS":       "worker_redirect_stdouts",
	"CELERY_REDIRECT_STDOUTS_LEVEL": "worker_redirect_stdouts_level",
	"CELERY_SEND_EVENTS":            "worker_send_task_events",
}
