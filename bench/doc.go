// Package bench holds headroom's Go benchmarks (parse, rules and fix, per
// file kind, on generated monorepos) and bench/run.sh, the whole-process
// and side-by-side measurements. `make bench` runs the first,
// `make bench-peers` the second; neither is part of `make test`.
package bench
