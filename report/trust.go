package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/headroom-dev/headroom/capacity"
)

// markTrust sets, on each figure of the service, whether make
// validate-model measures its kind of unit and at which versions
// (capacity.Measured). The service's connections are those service()
// appends in order: one per PostgreSQL alias, one per Redis client, then
// the celery worker's own.
func markTrust(svc *Service, u *capacity.Unit) {
	switch svc.Role {
	case "web", "worker":
		t := u.ThroughputTrust()
		svc.ModelCheck = &t
	}
	for i := range svc.Connections {
		c := &svc.Connections[i]
		switch {
		case i < len(u.Postgres):
			c.ModelCheck = u.Postgres[i].Trust(u)
		case i < len(u.Postgres)+len(u.Redis):
			c.ModelCheck = u.Redis[i-len(u.Postgres)].Trust(u)
		default:
			c.ModelCheck = u.WorkerRedisTrust()
		}
	}
}

// trustBlocks is the model check's coverage of each figure of the
// deployment: measured (with the versions) or not measured. One row per
// service; the connections of one server with the same mark are grouped.
func trustBlocks(d *Deployment, lvl int) []block {
	t := table{head: []string{"Service", "Kind", "Throughput or tasks in flight", "PostgreSQL connections", "Redis connections"}}
	measured, figures := 0, 0
	for _, s := range d.Services {
		if s.unit == nil {
			continue
		}
		kind := s.unit.Kind()
		var pg, redis []trustItem
		for _, c := range s.Connections {
			label := c.Kind
			if c.Kind == "postgres" {
				label = c.Name
			}
			if c.ModelCheck.Kind != kind && c.Kind == "postgres" {
				label += ", " + c.ModelCheck.Kind
			}
			it := trustItem{label, c.ModelCheck}
			if c.Kind == "postgres" {
				pg = append(pg, it)
			} else {
				redis = append(redis, it)
			}
			figures++
			measured += count01(c.ModelCheck.Measured)
		}
		unit := "-"
		if s.ModelCheck != nil {
			unit = trustMark(*s.ModelCheck)
			figures++
			measured += count01(s.ModelCheck.Measured)
		}
		t.rows = append(t.rows, []string{code(s.Name), kind, unit, trustGroups(pg), trustGroups(redis)})
	}
	if figures == 0 {
		return nil
	}
	return []block{heading{lvl, "How far the model is checked"},
		para{fmt.Sprintf("`make validate-model` runs Debian's servers on loopback with deployment files like these and compares what they do with what the model predicts (README, Model check). Figures of a kind it measures: %d of %d, each at the versions named. A figure **not measured** rests on the model and upstream's source alone.", measured, figures)},
		t}
}

// trustHeadline says which web throughputs the model check does not
// measure, for the overview's headline ("" when it measures them all).
func trustHeadline(d *Deployment) string {
	var kinds []string
	for _, s := range d.webServices() {
		if s.ModelCheck != nil && !s.ModelCheck.Measured && !slices.Contains(kinds, s.ModelCheck.Kind) {
			kinds = append(kinds, s.ModelCheck.Kind)
		}
	}
	if len(kinds) == 0 {
		return ""
	}
	return " The throughput of " + strings.Join(kinds, " and ") + " is not measured by the model check (see How far the model is checked)."
}

type trustItem struct {
	label string
	trust capacity.Trust
}

// trustGroups is each mark once, followed by what it marks: "measured:
// gunicorn 20.1, Django 3.2 (cache); **not measured** (broker, result
// backend)".
func trustGroups(items []trustItem) string {
	if len(items) == 0 {
		return "-"
	}
	var marks []string
	labels := map[string][]string{}
	for _, it := range items {
		m := trustMark(it.trust)
		if _, ok := labels[m]; !ok {
			marks = append(marks, m)
		}
		if !slices.Contains(labels[m], it.label) {
			labels[m] = append(labels[m], it.label)
		}
	}
	parts := make([]string, len(marks))
	for i, m := range marks {
		parts[i] = m + " (" + strings.Join(labels[m], ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

func trustMark(t capacity.Trust) string {
	if !t.Measured {
		return "**" + t.Text + "**"
	}
	return t.Text
}

func count01(b bool) int {
	if b {
		return 1
	}
	return 0
}
