// Package loadgen is a bounded HTTP load generator for loopback servers:
// a fixed number of clients, each sending one GET after another for a
// fixed time, over a kept-alive connection (or a new connection per
// request), after a warm-up whose requests are not counted. It reports the throughput and the latency percentiles
// of the requests that completed inside the measured window.
//
// It refuses any target that is not on the loopback interface, both when
// it reads the URL and again on every connection it dials, and it follows
// no redirect: it can only load a server on the same machine.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"syscall"
	"time"
)

// Bounds on a run: a run is a measurement, never a flood.
const (
	MaxConcurrency = 1024
	MaxDuration    = 10 * time.Minute
)

// Config is one run.
type Config struct {
	// URL is fetched with GET; its host must be a loopback address or
	// "localhost".
	URL string
	// Concurrency is the number of clients, each with at most one request
	// in flight (1..MaxConcurrency).
	Concurrency int
	// Warmup runs before the measured window; its requests are not counted.
	Warmup time.Duration
	// Duration is the measured window (up to MaxDuration).
	Duration time.Duration
	// Timeout bounds each request (default 10 s).
	Timeout time.Duration
	// NewConnections sends each request on a connection of its own, closed
	// after the answer, as nginx's proxy_pass does by default (HTTP/1.0 to
	// the upstream, no keepalive); otherwise each client keeps its
	// connection open across requests.
	NewConnections bool
}

// Result is what the measured window saw.
type Result struct {
	// Requests completed inside the window with a 2xx answer.
	Requests int
	// Errors are requests that ended inside the window with a transport
	// error or a status other than 2xx.
	Errors int
	// FirstError describes the first of them ("" when none).
	FirstError string
	// Window is the measured time.
	Window time.Duration
	// RPS is Requests per second of Window.
	RPS float64
	// Latency percentiles and mean of the counted requests (zero when none).
	P50, P90, P99, Max, Mean time.Duration
	// Connections is the number of TCP connections dialed during the whole
	// run, warm-up included: with kept-alive connections and a server that
	// keeps them open it stays close to Concurrency.
	Connections int
}

// CheckLoopback returns an error unless host (no port) is a loopback IP
// address or "localhost".
func CheckLoopback(host string) error {
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadgen: %q is not a loopback address: only 127.0.0.0/8, ::1 and localhost may be loaded", host)
	}
	return nil
}

func (c *Config) check() (*url.URL, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, fmt.Errorf("loadgen: %v", err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("loadgen: %q: only http:// URLs are loaded", c.URL)
	}
	if err := CheckLoopback(u.Hostname()); err != nil {
		return nil, err
	}
	switch {
	case c.Concurrency < 1 || c.Concurrency > MaxConcurrency:
		return nil, fmt.Errorf("loadgen: concurrency %d outside 1..%d", c.Concurrency, MaxConcurrency)
	case c.Duration <= 0 || c.Duration > MaxDuration:
		return nil, fmt.Errorf("loadgen: duration %s outside (0, %s]", c.Duration, MaxDuration)
	case c.Warmup < 0 || c.Warmup > MaxDuration:
		return nil, fmt.Errorf("loadgen: warm-up %s outside [0, %s]", c.Warmup, MaxDuration)
	case c.Timeout < 0:
		return nil, fmt.Errorf("loadgen: negative timeout %s", c.Timeout)
	}
	return u, nil
}

// loopbackOnly is the dialer's last word: the address actually dialed,
// after name resolution, must be a loopback address.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadgen: refusing to dial %s: not a loopback address", address)
	}
	return nil
}

type sample struct {
	done    time.Time
	latency time.Duration
	err     string
}

// Run loads cfg.URL and returns what the measured window saw. It returns
// early with ctx's error when ctx ends first.
func Run(ctx context.Context, cfg Config) (Result, error) {
	u, err := cfg.check()
	if err != nil {
		return Result{}, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	var (
		mu    sync.Mutex
		dials int
	)
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: loopbackOnly}
	transport := &http.Transport{
		Proxy: nil, // never through a proxy: the target is local
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			mu.Lock()
			dials++
			mu.Unlock()
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        cfg.Concurrency,
		MaxIdleConnsPerHost: cfg.Concurrency,
		MaxConnsPerHost:     cfg.Concurrency,
		IdleConnTimeout:     cfg.Warmup + cfg.Duration + cfg.Timeout,
		DisableCompression:  true,
		DisableKeepAlives:   cfg.NewConnections,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport: transport,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}

	start := time.Now()
	from, until := start.Add(cfg.Warmup), start.Add(cfg.Warmup+cfg.Duration)
	runCtx, cancel := context.WithDeadline(ctx, until)
	defer cancel()

	perClient := make([][]sample, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range perClient {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for runCtx.Err() == nil {
				s := fetch(runCtx, client, u.String())
				if runCtx.Err() != nil {
					return // cut off by the end of the window: not counted
				}
				if !s.done.Before(from) {
					perClient[i] = append(perClient[i], s)
				}
			}
		}(i)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}

	res := Result{Window: cfg.Duration, Connections: dials}
	var lat []time.Duration
	for _, ss := range perClient {
		for _, s := range ss {
			if s.done.After(until) {
				continue
			}
			if s.err != "" {
				res.Errors++
				if res.FirstError == "" {
					res.FirstError = s.err
				}
				continue
			}
			lat = append(lat, s.latency)
		}
	}
	res.Requests = len(lat)
	res.RPS = float64(res.Requests) / cfg.Duration.Seconds()
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		var sum time.Duration
		for _, l := range lat {
			sum += l
		}
		res.Mean = sum / time.Duration(len(lat))
		res.P50, res.P90, res.P99 = Percentile(lat, 50), Percentile(lat, 90), Percentile(lat, 99)
		res.Max = lat[len(lat)-1]
	}
	return res, nil
}

// fetch sends one GET and reads the whole answer, so the connection can be
// reused.
func fetch(ctx context.Context, client *http.Client, target string) sample {
	t0 := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return sample{done: time.Now(), err: err.Error()}
	}
	resp, err := client.Do(req)
	if err != nil {
		return sample{done: time.Now(), latency: time.Since(t0), err: err.Error()}
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	s := sample{done: time.Now(), latency: time.Since(t0)}
	switch {
	case err != nil:
		s.err = err.Error()
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		s.err = resp.Status
	}
	return s
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted,
// an ascending slice: the smallest value at least p% of the values do not
// exceed. Zero for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}
