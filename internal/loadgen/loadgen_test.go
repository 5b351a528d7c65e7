package loadgen

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingServer serves h on loopback and counts the connections it
// accepts and the answers it completes.
func countingServer(t *testing.T, h http.HandlerFunc) (srv *httptest.Server, conns, served *atomic.Int32) {
	conns, served = new(atomic.Int32), new(atomic.Int32)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r)
		served.Add(1)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, conns, served
}

// A server that holds at most two requests at once, each for 20 ms, can
// serve at most 100 requests per second however many clients wait. The
// run must not count more than that (nor the warm-up's requests, nor more
// than the server answered), must come near it (the machine may be busy:
// the lower bound is loose), and must keep one connection per client.
func TestRunMeasuresASaturatedServer(t *testing.T) {
	slots := make(chan struct{}, 2)
	srv, conns, served := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		slots <- struct{}{}
		time.Sleep(20 * time.Millisecond)
		<-slots
		w.Write([]byte("ok\n"))
	})
	res, err := Run(context.Background(), Config{URL: srv.URL + "/", Concurrency: 6, Warmup: 500 * time.Millisecond, Duration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 {
		t.Errorf("%d errors: %s", res.Errors, res.FirstError)
	}
	if res.RPS < 40 || res.RPS > 105 {
		t.Errorf("throughput %.1f/s, want at most 100/s (2 slots of 20 ms) and near it", res.RPS)
	}
	if n := int(served.Load()); res.Requests > n-10 {
		t.Errorf("%d requests counted, the server answered %d: the warm-up's (about 50) must not count", res.Requests, n)
	}
	// Six clients share two slots: each waits for two others, so a
	// request takes about 3 x 20 ms.
	if res.P50 < 40*time.Millisecond || res.P50 > 300*time.Millisecond {
		t.Errorf("median latency %s, want about 60ms", res.P50)
	}
	if !(res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max) {
		t.Errorf("percentiles out of order: %+v", res)
	}
	if n := int(conns.Load()); n > 6 || res.Connections > 6 {
		t.Errorf("%d connections accepted, %d dialed, want at most 6 (one kept-alive connection per client)", n, res.Connections)
	}
}

func TestRunCountsErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Config{URL: srv.URL, Concurrency: 2, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors == 0 || !strings.Contains(res.FirstError, "503") {
		t.Errorf("got %d requests, %d errors (%q), want only 503 errors", res.Requests, res.Errors, res.FirstError)
	}
}

func TestRefusesNonLoopback(t *testing.T) {
	for _, u := range []string{
		"http://192.0.2.1/",          // TEST-NET-1
		"http://example.com/",        // a name: only localhost is taken
		"http://[2001:db8::1]:8000/", // documentation prefix
		"http://0.0.0.0:8000/",
		"https://127.0.0.1/", // http only
	} {
		t0 := time.Now()
		_, err := Run(context.Background(), Config{URL: u, Concurrency: 1, Duration: time.Second})
		if err == nil {
			t.Errorf("%s: loaded, want refused", u)
		}
		if time.Since(t0) > 2*time.Second { // a dial would wait for its timeout
			t.Errorf("%s: took %s to refuse: it must not try", u, time.Since(t0))
		}
	}
	for _, h := range []string{"127.0.0.1", "127.1.2.3", "::1", "localhost"} {
		if err := CheckLoopback(h); err != nil {
			t.Errorf("%s refused: %v", h, err)
		}
	}
}

// The dialer checks the address it actually dials, so a name that passes
// the URL check cannot lead elsewhere.
func TestDialerRefusesNonLoopback(t *testing.T) {
	if err := loopbackOnly("tcp", "192.0.2.1:80", nil); err == nil {
		t.Error("192.0.2.1:80 accepted")
	}
	if err := loopbackOnly("tcp", "127.0.0.1:80", nil); err != nil {
		t.Error(err)
	}
}

func TestBounds(t *testing.T) {
	for _, c := range []Config{
		{URL: "http://127.0.0.1:1/", Concurrency: 0, Duration: time.Second},
		{URL: "http://127.0.0.1:1/", Concurrency: MaxConcurrency + 1, Duration: time.Second},
		{URL: "http://127.0.0.1:1/", Concurrency: 1},
		{URL: "http://127.0.0.1:1/", Concurrency: 1, Duration: MaxDuration + time.Second},
		{URL: "http://127.0.0.1:1/", Concurrency: 1, Duration: time.Second, Warmup: -time.Second},
	} {
		if _, err := Run(context.Background(), c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 90: 90, 99: 99, 100: 100, 0.5: 1} {
		if got := Percentile(d, p); got != want {
			t.Errorf("p%v = %d, want %d", p, got, want)
		}
	}
	if Percentile(d[:1], 99) != 1 || Percentile(nil, 50) != 0 {
		t.Error("one or no sample")
	}
}

// With NewConnections every request dials: no connection is reused.
func TestNewConnections(t *testing.T) {
	srv, conns, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		w.Write([]byte("ok\n"))
	})
	res, err := Run(context.Background(), Config{URL: srv.URL, Concurrency: 2, Duration: 300 * time.Millisecond, NewConnections: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 10 || res.Errors != 0 {
		t.Fatalf("%d requests, %d errors (%s)", res.Requests, res.Errors, res.FirstError)
	}
	if n := int(conns.Load()); n < res.Requests || res.Connections < res.Requests {
		t.Errorf("%d requests over %d connections accepted (%d dialed): want one connection per request", res.Requests, n, res.Connections)
	}
}
