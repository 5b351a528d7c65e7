package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/headroom-dev/headroom/capacity"
	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/report"
	"github.com/headroom-dev/headroom/stack"
)

// newModel is `headroom model`: the capacity model headroom reads from the
// deployment files, as the budget rules and worker targets use it.
func newModel(stdout, stderr io.Writer) *cobra.Command {
	var format, configPath string
	var noIgnore bool
	c := &cobra.Command{
		Use:   "model [PATH]...",
		Short: "Print the capacity model: each service's processes, connections and limits, and the budgets they add up to",
		Long: `Print what headroom understood of each deployment: per service, the server and
worker class, replicas x processes x the concurrency one process serves, the
PostgreSQL and Redis connections each process holds, the CPU and memory limits, the
limits of the servers, and the budgets (PostgreSQL and Redis connections per server,
CPU and memory per service) the budget rules judge. Every number says where it was
read (path:line), that .headroom.yaml declares it, or that it is a default; the
assumptions section lists each value taken on trust with the key that replaces it.`,
		RunE: func(c *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr{fmt.Errorf("--format must be text or json (got %q)", format)}
			}
			cfg, err := loadConfig(configPath, args)
			if err != nil {
				return err
			}
			sts, errs := stack.LoadDeployments(paths(args), stack.MaxFileSize, stack.DiscoverOptions{NoIgnore: noIgnore})
			errOut := &console{w: stderr}
			for _, err := range errs {
				errOut.printf("%v\n", err)
			}
			opts := cfg.Targets.Capacity()
			var deps []report.ModelDeployment
			for _, s := range sts {
				if len(s.Files) == 0 {
					continue
				}
				deps = append(deps, report.ModelOf(s, capacity.With(s, opts)))
			}
			if len(deps) == 0 && len(errs) == 0 {
				errOut.printf("headroom: no deployment files found under %s\n", strings.Join(paths(args), ", "))
			}
			if format == "json" {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if deps == nil {
					deps = []report.ModelDeployment{}
				}
				err = enc.Encode(struct {
					Deployments []report.ModelDeployment `json:"deployments"`
				}{deps})
			} else {
				err = report.PrintModel(stdout, deps)
			}
			if err != nil {
				return stdoutErr(err)
			}
			return finish(errOut, errs)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	c.Flags().StringVar(&configPath, "config", "", "configuration file (default: the first .headroom.yaml found walking up from the first path); its targets.worker_memory_mb sizes the memory budgets and its infrastructure: declares the limits, replicas, CPUs and memory no file states")
	c.Flags().BoolVar(&noIgnore, "no-ignore", false, "also read files that .gitignore excludes (paths given explicitly always are)")
	return c
}

// finish is the end of a command that reads deployments and writes one
// output: a failed write to stderr, or input that could not be read,
// exits 2.
func finish(errOut *console, errs []error) error {
	if err := errOut.done("stderr"); err != nil {
		return err
	}
	if len(errs) > 0 {
		return exitErr{exitError}
	}
	return nil
}

// loadConfig reads the configuration file named, else the first found
// walking up from the first path, else the defaults.
func loadConfig(configPath string, args []string) (*config.Config, error) {
	p := configPath
	if p == "" {
		p = config.Find(paths(args)[0])
	}
	if p == "" {
		return config.Default(), nil
	}
	cfg, err := config.Load(p)
	if err != nil {
		return nil, usageErr{err}
	}
	return cfg, nil
}
