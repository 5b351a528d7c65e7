package nginx

import (
	"strconv"
	"strings"

	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/stack"
)

// What the cross-file nginx rules (HR404-HR408) share: nginx's time and
// size syntax, and where a proxied request ends up in the stack.

// seconds reads an nginx time ("60", "60s", "1m", "1m30s", "500ms") in
// whole seconds, rounding milliseconds down.
func seconds(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	units := map[string]float64{"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
	total := 0.0
	for v != "" {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, _ := strconv.Atoi(v[:i])
		v = v[i:]
		j := 0
		for j < len(v) && (v[j] < '0' || v[j] > '9') {
			j++
		}
		unit := v[:j]
		v = v[j:]
		if unit == "" {
			unit = "s"
		}
		f, ok := units[unit]
		if !ok {
			return 0, false
		}
		total += float64(n) * f
	}
	return int(total), true
}

// bytesize reads an nginx size ("1m", "200M", "10k", "1g", "4096") in bytes.
func bytesize(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	mult := int64(1)
	switch v[len(v)-1] {
	case 'k', 'K':
		mult, v = 1<<10, v[:len(v)-1]
	case 'm', 'M':
		mult, v = 1<<20, v[:len(v)-1]
	case 'g', 'G':
		mult, v = 1<<30, v[:len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}

// human renders a byte count as nginx would write it.
func human(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "g"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "m"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "k"
	}
	return strconv.FormatInt(n, 10)
}

// targets are the addresses a pass sends to: its upstream's servers, or
// its own host:port.
func targets(ps *ngx.Pass) []string {
	if ps.Upstream != nil {
		return ngx.UpstreamServers(ps.Upstream)
	}
	if ps.Variable || ps.Host == "" {
		return nil
	}
	return []string{ps.Address()}
}

// backends returns the app-server commands serving the addresses ps sends
// to, as ServerFor finds them (with its single-server fallback).
func backends(s *stack.Stack, ps *ngx.Pass) []*stack.Command {
	var out []*stack.Command
	seen := map[*stack.Command]bool{}
	for _, a := range targets(ps) {
		host, _ := ngx.SplitHostPort(a)
		if c := s.ServerFor(host); c != nil && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// label names a command for messages: "service web" or its file.
func label(c *stack.Command) string {
	switch {
	case c.Service != "":
		return "service " + c.Service
	case len(c.Services) > 0:
		return "service " + strings.Join(c.Services, ", ")
	}
	return c.File.Doc.Path
}
