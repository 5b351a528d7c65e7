package servercmd

import "strings"

// optSpec is one option of a program: its canonical name and whether it
// takes a value.
type optSpec struct {
	name  string
	value bool
}

type table struct {
	long  map[string]*optSpec
	short map[string]*optSpec
}

// def is a table row: the flags (long and short aliases, space-separated)
// and whether the option takes a value. The canonical name is the first
// long flag without its dashes.
type def struct {
	flags string
	value bool
}

func build(defs []def) *table {
	t := &table{long: map[string]*optSpec{}, short: map[string]*optSpec{}}
	for _, d := range defs {
		flags := strings.Fields(d.flags)
		spec := &optSpec{value: d.value}
		for _, f := range flags {
			if strings.HasPrefix(f, "--") {
				if spec.name == "" {
					spec.name = f[2:]
				}
				t.long[f] = spec
			} else {
				t.short[f] = spec
			}
		}
	}
	return t
}

// gunicornOpts are gunicorn's command-line settings, from its settings
// reference (https://docs.gunicorn.org/en/stable/settings.html) and
// `gunicorn --help`. Settings that only exist in config files are absent.
var gunicornOpts = []def{
	{"--config -c", true},
	{"--bind -b", true},
	{"--backlog", true},
	{"--workers -w", true},
	{"--worker-class -k", true},
	{"--threads", true},
	{"--worker-connections", true},
	{"--max-requests", true},
	{"--max-requests-jitter", true},
	{"--timeout -t", true},
	{"--graceful-timeout", true},
	{"--keep-alive", true},
	{"--limit-request-line", true},
	{"--limit-request-fields", true},
	{"--limit-request-field_size --limit-request-field-size", true},
	{"--reload", false},
	{"--reload-engine", true},
	{"--reload-extra-file", true},
	{"--spew", false},
	{"--check-config", false},
	{"--print-config", false},
	{"--preload", false},
	{"--no-sendfile", false},
	{"--reuse-port", false},
	{"--chdir", true},
	{"--daemon -D", false},
	{"--env -e", true},
	{"--pid -p", true},
	{"--worker-tmp-dir", true},
	{"--user -u", true},
	{"--group -g", true},
	{"--umask -m", true},
	{"--initgroups", false},
	{"--forwarded-allow-ips", true},
	{"--access-logfile", true},
	{"--disable-redirect-access-to-syslog", false},
	{"--access-logformat", true},
	{"--error-logfile --log-file", true},
	{"--log-level", true},
	{"--capture-output", false},
	{"--logger-class", true},
	{"--log-config", true},
	{"--log-config-json", true},
	{"--log-syslog-to", true},
	{"--log-syslog", false},
	{"--log-syslog-prefix", true},
	{"--log-syslog-facility", true},
	{"--enable-stdio-inheritance -R", false},
	{"--statsd-host", true},
	{"--dogstatsd-tags", true},
	{"--statsd-prefix", true},
	{"--name -n", true},
	{"--pythonpath", true},
	{"--paste --paster", true},
	{"--proxy-protocol", false},
	{"--proxy-allow-from", true},
	{"--keyfile", true},
	{"--certfile", true},
	{"--ssl-version", true},
	{"--cert-reqs", true},
	{"--ca-certs", true},
	{"--suppress-ragged-eofs", false},
	{"--do-handshake-on-connect", false},
	{"--ciphers", true},
	{"--paste-global", true},
	{"--permit-obsolete-folding", false},
	{"--strip-header-spaces", false},
	{"--permit-unconventional-http-method", false},
	{"--permit-unconventional-http-version", false},
	{"--casefold-http-method", false},
	{"--forwarder-headers", true},
	{"--header-map", true},
	{"--tolerate-dangerous-framing", false},
	{"--version -v", false},
	{"--help -h", false},
}

// uvicornOpts are uvicorn's options (https://www.uvicorn.org/settings/).
var uvicornOpts = []def{
	{"--host", true},
	{"--port", true},
	{"--uds", true},
	{"--fd", true},
	{"--reload", false},
	{"--reload-dir", true},
	{"--reload-include", true},
	{"--reload-exclude", true},
	{"--reload-delay", true},
	{"--workers", true},
	{"--loop", true},
	{"--http", true},
	{"--ws", true},
	{"--ws-max-size", true},
	{"--ws-max-queue", true},
	{"--ws-ping-interval", true},
	{"--ws-ping-timeout", true},
	{"--ws-per-message-deflate", true},
	{"--lifespan", true},
	{"--interface", true},
	{"--env-file", true},
	{"--log-config", true},
	{"--log-level", true},
	{"--access-log", false},
	{"--no-access-log", false},
	{"--use-colors", false},
	{"--no-use-colors", false},
	{"--proxy-headers", false},
	{"--no-proxy-headers", false},
	{"--server-header", false},
	{"--no-server-header", false},
	{"--date-header", false},
	{"--no-date-header", false},
	{"--forwarded-allow-ips", true},
	{"--root-path", true},
	{"--limit-concurrency", true},
	{"--backlog", true},
	{"--limit-max-requests", true},
	{"--timeout-keep-alive", true},
	{"--timeout-graceful-shutdown", true},
	{"--timeout-worker-healthcheck", true},
	{"--ssl-keyfile", true},
	{"--ssl-certfile", true},
	{"--ssl-keyfile-password", true},
	{"--ssl-version", true},
	{"--ssl-cert-reqs", true},
	{"--ssl-ca-certs", true},
	{"--ssl-ciphers", true},
	{"--header -H", true},
	{"--version", false},
	{"--app-dir", true},
	{"--h11-max-incomplete-event-size", true},
	{"--factory", false},
	{"--help", false},
}

// daphneOpts are daphne's options (`daphne --help`).
var daphneOpts = []def{
	{"--port -p", true},
	{"--bind -b", true},
	{"--websocket_timeout", true},
	{"--websocket_connect_timeout", true},
	{"--unix-socket -u", true},
	{"--fd", true},
	{"--endpoint -e", true},
	{"--verbosity -v", true},
	{"--http-timeout -t", true},
	{"--access-log", true},
	{"--log-fmt", true},
	{"--ping-interval", true},
	{"--ping-timeout", true},
	{"--application-close-timeout", true},
	{"--root-path", true},
	{"--proxy-headers", false},
	{"--proxy-headers-host", true},
	{"--proxy-headers-port", true},
	{"--server-name -s", true},
	{"--no-server-name", false},
	{"--help -h", false},
}

// celeryOpts are celery's global options and the worker command's
// (https://docs.celeryq.dev/en/stable/reference/cli.html).
var celeryOpts = []def{
	{"--app -A", true},
	{"--broker -b", true},
	{"--result-backend", true},
	{"--loader", true},
	{"--config", true},
	{"--workdir", true},
	{"--no-color -C", false},
	{"--quiet -q", false},
	{"--skip-checks", false},
	{"--hostname -n", true},
	{"--detach -D", false},
	{"--statedb -S", true},
	{"--loglevel -l", true},
	{"--optimization -O", true},
	{"--prefetch-multiplier", true},
	{"--concurrency -c", true},
	{"--pool -P", true},
	{"--task-events --events -E", false},
	{"--time-limit", true},
	{"--soft-time-limit", true},
	{"--max-tasks-per-child", true},
	{"--max-memory-per-child", true},
	{"--purge --discard", false},
	{"--queues -Q", true},
	{"--exclude-queues -X", true},
	{"--include -I", true},
	{"--without-gossip", false},
	{"--without-mingle", false},
	{"--without-heartbeat", false},
	{"--heartbeat-interval", true},
	{"--autoscale", true},
	{"--beat -B", false},
	{"--schedule-filename --schedule -s", true},
	{"--scheduler", true},
	{"--logfile -f", true},
	{"--pidfile", true},
	{"--uid", true},
	{"--gid", true},
	{"--umask", true},
	{"--executable", true},
	{"--help", false},
}

// uwsgiOpts are the uWSGI options common in Django deployments; uWSGI
// has hundreds, nearly all taking a value, so unknown ones are read as
// taking one too (see Parse). headroom has no uWSGI rules: the table only
// lets the command be recognised and left alone.
var uwsgiOpts = []def{
	{"--ini", true},
	{"--http", true},
	{"--http-socket", true},
	{"--socket -s", true},
	{"--module", true},
	{"--wsgi-file", true},
	{"--processes -p", true},
	{"--workers", true},
	{"--threads", true},
	{"--master -M", false},
	{"--enable-threads", false},
	{"--harakiri", true},
	{"--max-requests", true},
	{"--vacuum", false},
	{"--die-on-term", false},
}

// granianOpts are granian's options (`granian --help`); recognised, no
// rules yet.
var granianOpts = []def{
	{"--interface", true},
	{"--host", true},
	{"--port", true},
	{"--workers", true},
	{"--blocking-threads", true},
	{"--runtime-threads", true},
	{"--loop", true},
	{"--http", true},
	{"--respawn-failed-workers", false},
	{"--workers-lifetime", true},
	{"--reload", false},
}

var tables = map[string]*table{
	"uwsgi":    build(uwsgiOpts),
	"granian":  build(granianOpts),
	"gunicorn": build(gunicornOpts),
	"uvicorn":  build(uvicornOpts),
	"daphne":   build(daphneOpts),
	"celery":   build(celeryOpts),
}
