package scaling

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/parsers"
	"github.com/headroom-dev/headroom/parsers/compose"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// RedisSPOF is HR603.
var RedisSPOF = &rules.Rule{
	ID:       "HR603",
	Name:     "redis-single-point-of-failure",
	Phase:    3,
	Severity: rules.Warning,
	Kinds:    []parsers.Kind{parsers.KindCompose},
	Unsafe:   true,
	Doc: rules.Doc{
		Title: "One Redis serves cache, Celery broker and channel layer, with no replica or Sentinel",
		Why: `When one Redis container is the cache, the Celery broker and the Channels layer, its
restart takes down cached reads, task dispatch and every WebSocket at once, and its
memory and CPU are shared by all three. A replica with Sentinel (quorum of 2 out of 3)
promotes the replica when the primary fails.

Sentinel only helps clients that ask it for the primary: django-redis's SentinelClient
(or Django's RedisCache with a sentinel-aware pool), a "sentinel://" broker URL with
broker_transport_options={"master_name": ...}, and channels_redis's "sentinels" host
config. Until the settings change too, the new services only replicate data.

The report's own snippet starts redis-sentinel without a configuration file, which
Sentinel refuses ("Sentinel started without a config file"), and with one sentinel,
which cannot reach a quorum.`,
		Impact: "99.9%+ availability (the report's phase 3, item 12)",
		Fix: `Unsafe only: adds a redis-replica service (--replicaof the primary) and a
redis-sentinel service with three replicas that write their own configuration
(monitor <primary> 6379 2, resolve-hostnames) at start. The settings' Redis URLs must
then move to Sentinel by hand.`,
		Bad: `redis:
  image: redis:7-alpine`,
		Good: `redis:
  image: redis:7-alpine
redis-replica:
  image: redis:7-alpine
  command: redis-server --replicaof redis 6379
redis-sentinel:
  image: redis:7-alpine
  command: sh -c '...sentinel monitor primary redis 6379 2... exec redis-sentinel /tmp/sentinel.conf'
  deploy:
    replicas: 3`,
		Sources: []string{
			"https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/",
			"https://redis.io/docs/latest/operate/oss_and_stack/management/replication/",
			"https://github.com/jazzband/django-redis#use-the-sentinel-connection-factory",
			"https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html",
			"https://github.com/django/channels_redis#sentinels",
		},
		Since: "0.2.0",
	},
	Check: checkRedisSPOF,
}

func init() { rules.Register(RedisSPOF) }

var redisURL = regexp.MustCompile(`rediss?://(?:[^@/\s"']*@)?([A-Za-z0-9_.-]+)`)

// redisRoles maps each Redis host the settings use to the roles it plays.
func redisRoles(s *stack.Stack) (map[string][]string, []rules.Location) {
	r := stack.Memo(s, &redisRolesKey, func() redisRoleSet {
		roles, locs := findRedisRoles(s)
		return redisRoleSet{roles, locs}
	})
	return r.roles, r.locs
}

// redisRolesKey keys redisRoles' result in the stack's memo: every compose
// file asks, and the answer is the same for the whole stack.
var redisRolesKey byte

type redisRoleSet struct {
	roles map[string][]string
	locs  []rules.Location
}

func findRedisRoles(s *stack.Stack) (map[string][]string, []rules.Location) {
	roles := map[string][]string{}
	var locs []rules.Location
	add := func(f *stack.File, span parsers.Span, role string) {
		for _, m := range redisURL.FindAllStringSubmatch(f.Doc.Text(span), -1) {
			host := m[1]
			for _, r := range roles[host] {
				if r == role {
					return
				}
			}
			roles[host] = append(roles[host], role)
			locs = append(locs, rules.Location{Doc: f.Doc, Span: span, Message: role + " on " + host})
		}
	}
	for _, f := range s.Files {
		if f.Python == nil || f.Doc.Kind != parsers.KindPython {
			continue
		}
		m := f.Python
		// In a fixed order: the roles and related locations are printed.
		for _, r := range [...]struct{ name, role string }{{"CACHES", "cache"}, {"CELERY_BROKER_URL", "Celery broker"}, {"CHANNEL_LAYERS", "channel layer"}} {
			if o := m.Names[r.name]; o != nil && o.Stmt != nil {
				add(f, o.Stmt.Span, r.role)
			}
		}
	}
	return roles, locs
}

func isRedis(svc *compose.Service) bool {
	return strings.Contains(svc.Image, "redis") || strings.Contains(svc.Image, "valkey")
}

func commandText(svc *compose.Service) string {
	if svc.Command == nil {
		return ""
	}
	var ws []string
	for _, w := range svc.Command.Words {
		ws = append(ws, w.Value)
	}
	return strings.Join(ws, " ")
}

func checkRedisSPOF(pass *rules.Pass) {
	f := pass.File.Compose
	for _, svc := range f.Services {
		if isRedis(svc) && (strings.Contains(svc.Image, "sentinel") || strings.Contains(commandText(svc), "sentinel") ||
			strings.Contains(commandText(svc), "replicaof") || strings.Contains(commandText(svc), "slaveof")) {
			return // failover is already there
		}
	}
	roles, locs := redisRoles(pass.Stack)
	for _, svc := range f.Services {
		if !isRedis(svc) {
			continue
		}
		var rs []string
		for _, h := range svc.Hostnames() {
			rs = append(rs, roles[h]...)
		}
		if len(rs) < 2 {
			continue
		}
		sort.Strings(rs)
		var related []rules.Location
		for _, l := range locs {
			for _, h := range svc.Hostnames() {
				if strings.HasSuffix(l.Message, " on "+h) {
					related = append(related, l)
				}
			}
		}
		d := rules.Diagnostic{
			Span:    svc.NameSpan,
			Message: fmt.Sprintf("Redis service %s is the %s with no replica or Sentinel: one restart stops them all together", svc.Name, strings.Join(rs, ", ")),
			Related: related,
		}
		if text, at, ok := sentinelServices(pass, svc); ok {
			d.Fixes = []rules.Fix{{Message: "add redis-replica and redis-sentinel services (then point the settings at Sentinel)", Applicability: rules.Unsafe,
				Edits: []edit.TextEdit{pass.Edit(parsers.Span{Start: at, End: at}, text)}}}
		}
		pass.Report(d)
	}
}

func sentinelServices(pass *rules.Pass, svc *compose.Service) (string, int, bool) {
	doc := pass.Doc()
	f := pass.File.Compose
	if f.Service("redis-replica") != nil || f.Service("redis-sentinel") != nil {
		return "", 0, false
	}
	b, ok := serviceBlock(doc, svc)
	if !ok {
		return "", 0, false
	}
	nl, k, i, u := doc.Newline(), b.KeyIndent, b.Indent, b.unit()
	image := svc.Image
	conf := fmt.Sprintf(`printf 'port 26379\nsentinel resolve-hostnames yes\nsentinel announce-hostnames yes\nsentinel monitor primary %s 6379 2\nsentinel down-after-milliseconds primary 5000\nsentinel failover-timeout primary 60000\n' > /tmp/sentinel.conf && exec redis-sentinel /tmp/sentinel.conf`, svc.Name)
	lines := []string{
		k + "redis-replica:",
		i + "image: " + image,
		i + "command: redis-server --replicaof " + svc.Name + " 6379",
		i + "depends_on:",
		i + u + "- " + svc.Name,
		"",
		k + "redis-sentinel:",
		i + "image: " + image,
		i + "command: [\"sh\", \"-c\", " + jsonQuote(conf) + "]",
		i + "depends_on:",
		i + u + "- " + svc.Name,
		i + u + "- redis-replica",
		i + "deploy:",
		i + u + "replicas: 3",
	}
	text := strings.Join(lines, nl) + nl
	if b.Blank || b.End == len(doc.Src) {
		text = nl + text
	}
	if b.End == len(doc.Src) && !strings.HasSuffix(string(doc.Src), "\n") {
		text = nl + strings.TrimSuffix(text, nl)
	}
	return text, b.End, true
}

func jsonQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
