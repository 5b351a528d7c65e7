package database

import (
	"fmt"
	"strconv"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/edit"
	"github.com/headroom-dev/headroom/internal/text"
)

// Pool sizing the pool fix writes. psycopg_pool's implicit sizing is
// min_size 4, max_size = min_size, timeout 30 s: every process holds 4
// connections from start, and a request waits half a minute for one before
// PoolTimeout. The fix writes the sizing explicitly, so the budget it
// takes is on the page and the user can tune it.
const (
	poolMaxSize = 4  // psycopg_pool's default max: a web process rarely has more queries in flight
	poolMinSize = 2  // connections kept open when idle
	poolTimeout = 10 // seconds a request waits for a connection before PoolTimeout
)

// poolSizing is the dict the pool fix writes into OPTIONS: max_size is
// psycopg_pool's default of 4, lowered so that every process that loads
// these settings can hold its pool at once within the room its PostgreSQL
// server leaves (the capacity model's budget); min_size is 2, or max_size
// when lower; timeout 10 s. why says how max_size was chosen, for the
// fix's message; maxSize is max_size.
func poolSizing(m *capacity.Model, a alias) (pool edit.PyValue, maxSize int, why string) {
	procs := 0
	var server *capacity.DBServer
	for _, u := range m.Units {
		if u.Settings == nil || u.Settings.Module != a.St.Module {
			continue
		}
		procs += u.Total()
		if server == nil {
			server = m.PostgresServer(host(a))
		}
	}
	max, why := poolMaxSize, fmt.Sprintf("psycopg_pool's default of %d", poolMaxSize)
	if server != nil && procs > 0 {
		if b, ok := m.Budget(capacity.PostgresKey(server)); ok && b.LimitKnown {
			if room := b.Usable() / procs; room < max {
				max = room
				why = fmt.Sprintf("the %d usable connections of %s over the %s that load these settings", b.Usable(), server.Name, text.Plural(procs, "process"))
			}
		}
	}
	if max < 1 {
		max, why = 1, "1: the PostgreSQL budget has no room for more"
	}
	min := poolMinSize
	if max < min {
		min = max
	}
	return edit.PyDict(
		edit.PyKV("min_size", edit.PySrc(strconv.Itoa(min))),
		edit.PyKV("max_size", edit.PySrc(strconv.Itoa(max))),
		edit.PyKV("timeout", edit.PySrc(strconv.Itoa(poolTimeout))),
	), max, why
}
