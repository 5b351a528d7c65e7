package report

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
)

// Watch is one metric to watch, with the figure from the model it should
// be read against.
type Watch struct {
	Metric string `json:"metric"`
	// Against is the figure the model derives for it.
	Against string `json:"against"`
	// How says where the metric comes from, and whether the deployment
	// exports it yet.
	How string `json:"how"`
}

// monitoring derives what to watch from the model: each bound and budget
// the report computed is a number production can contradict.
func monitoring(d *Deployment) []Watch {
	var out []Watch
	exported := !d.has("HR801")
	for _, s := range d.webServices() {
		if s.InFlight == nil {
			continue
		}
		how := "requests accepted and not yet served (the listen backlog); nginx's $upstream_connect_time rises as it fills"
		if !exported {
			how += " (no metrics exported yet: HR801, django-prometheus)"
		}
		out = append(out, Watch{Metric: fmt.Sprintf("Requests in flight on %s (queue length)", s.Name),
			Against: fmt.Sprintf("%d at once, %s req/s (saturates: %s)", *s.InFlight, sig(*s.ThroughputRPS), s.Saturates), How: how})
	}
	for _, b := range d.Budgets {
		switch capacity.Resource(b.Resource) {
		case capacity.Postgres:
			out = append(out, Watch{Metric: "PostgreSQL connections on " + b.Label(),
				Against: fmt.Sprintf("%s%d claimed of %d usable", b.bound(), b.Used, b.Usable),
				How:     "SELECT count(*) FROM pg_stat_activity; \"too many clients already\" in the logs means the limit was hit"})
		case capacity.Redis:
			out = append(out, Watch{Metric: "Redis clients on " + b.Label(),
				Against: fmt.Sprintf("%s%d claimed of maxclients %d", b.bound(), b.Used, b.Limit),
				How:     "INFO clients (connected_clients, rejected_connections); INFO stats (keyspace_hits / misses for the cache hit rate)"})
		case capacity.CPU:
			out = append(out, Watch{Metric: "CPU throttling of " + b.Label(),
				Against: fmt.Sprintf("%d processes for a limit that admits %d", b.Used, b.Limit),
				How:     "the container's cpu.stat (nr_throttled, throttled_usec)"})
		case capacity.Memory:
			out = append(out, Watch{Metric: "Memory of " + b.Label(),
				Against: fmt.Sprintf("%d MiB estimated of %d MiB", b.Used, b.Limit),
				How:     "the container's memory.current and OOM kills (docker events)"})
		}
	}
	queues := map[string]bool{}
	for _, s := range d.Services {
		if s.Role != "worker" || s.unit == nil || s.unit.Command == nil {
			continue
		}
		q := s.unit.Command.Server.Argv.Words
		for i, w := range q {
			if (w.Value == "-Q" || w.Value == "--queues") && i+1 < len(q) {
				for _, name := range strings.Split(q[i+1].Value, ",") {
					queues[name] = true
				}
			}
		}
	}
	if len(queues) > 0 || hasRole(d, "worker") {
		names := sortedKeys(queues)
		what := "each queue"
		if len(names) > 0 {
			what = strings.Join(names, ", ")
		}
		out = append(out, Watch{Metric: "Celery queue depth (" + what + ")", Against: fmt.Sprintf("%d tasks at once across the workers", tasksAtOnce(d)),
			How: "LLEN of each queue's key on the broker; a depth that only grows means the workers are saturated"})
	}
	latency := "nginx's $request_time and $upstream_response_time in the access log"
	if d.has("HR804") {
		latency += " (not logged yet: HR804)"
	}
	out = append(out, Watch{Metric: "Response time distribution (p50, p95, p99)",
		Against: "the mean request time the estimate assumes", How: latency})
	errs := "5xx and 4xx counts per upstream in nginx's access log"
	if d.has("HR802") {
		errs += "; no error tracker yet (HR802, sentry_sdk)"
	}
	out = append(out, Watch{Metric: "Error rate (5xx, 4xx)", Against: "0 at the estimated throughput", How: errs})
	return out
}

func (d *Deployment) has(rule string) bool {
	for _, b := range d.Bottlenecks {
		if b.Rule == rule {
			return true
		}
	}
	return false
}

func hasRole(d *Deployment, role string) bool {
	for _, s := range d.Services {
		if s.Role == role {
			return true
		}
	}
	return false
}

func tasksAtOnce(d *Deployment) int {
	n := 0
	for _, s := range d.Services {
		if s.Role == "worker" && s.InFlight != nil {
			n += *s.InFlight
		}
	}
	return n
}

func atLeast(b bool) string { return capacity.AtLeast(b) }
