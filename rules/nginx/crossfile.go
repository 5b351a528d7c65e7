package nginx

import (
	"strconv"
	"strings"

	ngx "github.com/headroom-dev/headroom/parsers/nginx"
	"github.com/headroom-dev/headroom/stack"
)

// What the cross-file nginx rules (HR404-HR408) share: nginx's time and
// size syntax, and where a proxied request ends up in the stack.

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

// backends returns the app-server commands serving the addresses ps sends
// to (stack.Backends).
func backends(s *stack.Stack, ps *ngx.Pass) []*stack.Command { return s.Backends(ps) }

// seconds reads an nginx time value (ngx.Seconds).
func seconds(v string) (int, bool) { return ngx.Seconds(v) }

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
