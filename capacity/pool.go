package capacity

import (
	"fmt"

	"github.com/headroom-dev/headroom/internal/text"
	"github.com/headroom-dev/headroom/stack"
)

// PoolTimeout is psycopg_pool's default getconn() timeout, in seconds.
const PoolTimeout = 30

// What a Django pool (OPTIONS["pool"]) costs one unit, checked against
// upstream:
//
//   - Django's pool is one psycopg_pool.ConnectionPool per process and
//     alias (django/db/backends/postgresql/base.py at 5.1, the pool
//     property); a connection is held from the request's or task's first
//     query to its end, and getconn() waits timeout seconds, then raises
//     PoolTimeout (psycopg_pool/pool.py). A process that serves more at
//     once than max_size queues the rest.
//   - Celery 5.6 calls close_pool() around tasks when OPTIONS["pool"] is
//     set (celery/fixups/django.py, _close_database): 5.6.0 for every pool
//     type, so green and threads pools fail waiting tasks with PoolClosed;
//     5.6.1+ for prefork only, so a prefork child gets no reuse from the
//     pool: a new connection per task.

// PoolTrade is what a pool of max connections per process, waiting
// timeout seconds, costs the unit: "" when every task or request the unit
// runs at once gets a connection and Celery keeps the pool open.
func PoolTrade(s *stack.Stack, u *Unit, max, timeout int) string {
	if u.Server == CeleryWorker && u.WorkerClass != "prefork" && u.WorkerClass != "solo" {
		cv, _ := s.Version("celery")
		switch v := cv.Version; {
		case !v.Known():
			return fmt.Sprintf("%s's %s pool runs on a Celery version the requirements do not pin, and 5.6.0 closes Django's pool around every task: tasks waiting for a connection fail with PoolClosed", u.Label(), u.WorkerClass)
		case v.AtLeast(5, 6) && !v.AtLeast(5, 6, 1):
			return fmt.Sprintf("%s's %s pool runs on Celery %s, which closes Django's pool around every task: tasks waiting for a connection fail with PoolClosed", u.Label(), u.WorkerClass, v)
		}
	}
	if !u.Concurrency.Known || u.Concurrency.N <= max {
		return ""
	}
	what := "requests or tasks"
	switch {
	case u.Greenlets.N > 0:
		what = "greenlets"
	case u.Threads.N > 1:
		what = "threads"
	}
	return fmt.Sprintf("%s's %d %s share %s per process: waits up to %d s, then PoolTimeout", u.Label(), u.Concurrency.N, what, text.Plural(max, "connection"), timeout)
}

// preforkNoReuse says Celery closes the pool after every task in the
// unit's prefork children (Celery >= 5.6), with the version for the note.
func preforkNoReuse(s *stack.Stack, u *Unit) (string, bool) {
	if u.Server != CeleryWorker || u.WorkerClass != "prefork" {
		return "", false
	}
	cv, ok := s.Version("celery")
	if !ok || !cv.Version.AtLeast(5, 6) {
		return "", false
	}
	return cv.Version.String(), true
}
