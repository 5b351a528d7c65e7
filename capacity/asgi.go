package capacity

import (
	"fmt"

	"github.com/headroom-dev/headroom/stack"
)

// How Django's ASGI handler runs sync views, checked against Django's and
// asgiref's source:
//
//   - Django wraps a sync view (and sync middleware, and the
//     request_started / request_finished signals that open and close
//     connections) in asgiref's sync_to_async(thread_sensitive=True)
//     (django/core/handlers/base.py, BaseHandler._get_response_async and
//     adapt_method_mode; django/core/handlers/asgi.py, ASGIHandler.handle).
//   - asgiref runs thread-sensitive code on the thread of an outer
//     async_to_sync if there is one, else on the executor of the current
//     ThreadSensitiveContext, else on SyncToAsync.single_thread_executor,
//     ThreadPoolExecutor(max_workers=1), one per process
//     (asgiref/sync.py, SyncToAsync.__call__).
//   - Django 3.2 (django/core/handlers/asgi.py at 3.2.25) opens no
//     ThreadSensitiveContext: under an ASGI server every sync view of the
//     process runs on that one thread, one request at a time, and the one
//     thread keeps one connection per alias, closed by the request_finished
//     signal on the same thread (so CONN_MAX_AGE > 0 does not leak).
//   - Django 4.0 wraps each request in ThreadSensitiveContext
//     (ASGIHandler.__call__, "async with ThreadSensitiveContext()"; ticket
//     #32889, django/django#13882): a thread, and a connection, per request
//     in flight, so CONN_MAX_AGE > 0 leaves a connection behind on each
//     finished request's thread (ticket #33497).
//
// Measured (make validate-model-postgres, Django 3.2.25, asgiref 3.6.0):
// gunicorn 2 x UvicornWorker on a sync view holding its connection 200 ms
// served 9.8 req/s with 107 clients, 2 connections: 2 / 0.2 s. Later runs
// with 16 clients served 6.6 to 10.0 req/s: each process's event loop
// accepts connections while its one thread is busy, so one process may
// queue requests while the other idles (one backend active 99% of the
// time, the other 53 to 84%); the report gives such units a range
// (report's unevenAccept).
//
// An async view runs on the event loop instead; headroom does not read the
// views, so the figure is for sync views.

// DjangoThreadSensitiveContext is the first Django whose ASGI handler runs
// each request's sync code on a thread of its own.
var DjangoThreadSensitiveContext = []int{4, 0}

// asgiSyncThread says why the stack's ASGI processes run every sync view
// on one thread per process: Django pinned (==) below 4.0. "" when the
// requirements do not prove it (a range or no pin may be 4.0 or later).
func asgiSyncThread(s *stack.Stack) (string, Source) {
	r, ok := s.Version("django")
	if !ok || !r.Exact || !r.Version.Known() || r.Version.AtLeast(DjangoThreadSensitiveContext...) {
		return "", Source{}
	}
	why := fmt.Sprintf("Django %s's ASGI handler runs sync views on one thread per process (each request its own thread only from Django 4.0)", r.Version)
	src := defaultSource(why)
	if r.Doc != nil {
		src = Source{Doc: r.Doc, Span: r.Doc.LineSpan(r.Line), What: why}
	}
	return why, src
}
