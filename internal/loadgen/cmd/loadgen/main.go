// Command loadgen loads a loopback HTTP server with a fixed number of
// clients for a fixed time and prints the throughput and latency
// percentiles (package internal/loadgen).
//
//	go run ./internal/loadgen/cmd/loadgen -c 16 -warmup 2s -d 8s http://127.0.0.1:8000/
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/headroom-dev/headroom/internal/loadgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg loadgen.Config
	fs.IntVar(&cfg.Concurrency, "c", 8, "clients, each with one request in flight")
	fs.DurationVar(&cfg.Duration, "d", 10*time.Second, "measured window")
	fs.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "warm-up before the window, not counted")
	fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "per-request timeout")
	keepAlive := fs.Bool("keepalive", true, "keep each client's connection open across requests (false: a new connection per request, as nginx's proxy_pass by default)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loadgen [-c N] [-d DURATION] [-warmup DURATION] [-timeout DURATION] [-keepalive=false] [-json] http://127.0.0.1:PORT/PATH")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	cfg.URL = fs.Arg(0)
	cfg.NewConnections = !*keepAlive
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	} else {
		fmt.Fprintf(stdout, "%d clients, %s warm-up, %s measured: %d requests (%.1f/s), %d errors, %d connections\n",
			cfg.Concurrency, cfg.Warmup, res.Window, res.Requests, res.RPS, res.Errors, res.Connections)
		fmt.Fprintf(stdout, "latency p50 %s  p90 %s  p99 %s  max %s  mean %s\n",
			ms(res.P50), ms(res.P90), ms(res.P99), ms(res.Max), ms(res.Mean))
		if res.FirstError != "" {
			fmt.Fprintf(stdout, "first error: %s\n", res.FirstError)
		}
	}
	if res.Errors > 0 {
		return 1
	}
	return 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
