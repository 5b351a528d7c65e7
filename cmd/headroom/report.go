package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/headroom-dev/headroom/report"
	"github.com/headroom-dev/headroom/rules"
	"github.com/headroom-dev/headroom/stack"
)

// reportFormats are report's --format values and their renderers.
var reportFormats = map[string]func(io.Writer, *report.Report) error{
	"md":   report.Markdown,
	"html": report.HTML,
	"json": report.JSON,
}

// newReport is `headroom report`: the capacity report of each deployment.
func newReport(stdout, stderr io.Writer) *cobra.Command {
	var format, outFile, configPath string
	var noIgnore bool
	var requestMS, dbMS, cpuMS float64
	c := &cobra.Command{
		Use:   "report [PATH]...",
		Short: "Write the capacity report: configuration, estimated capacity, bottlenecks, phases, monitoring",
		Long: `Write the capacity report of each deployment under the paths (default .): the current
configuration (every number with the file and line it was read from), the estimated
capacity of each web service (Little's law: requests in flight / mean request time,
bounded by workers, PostgreSQL connections, Redis and CPU, with the assumptions
printed beside the numbers), the findings ordered by what they cost at that load with
the fix 'fix' would write, the same model after the safe fixes of phases 1, 2 and 3
(applied in memory; nothing is written), and what to watch.

The assumptions default to report: in .headroom.yaml, else request_ms 100,
db_ms 30% of request_ms and cpu_ms 10 (measured by bench/cpu_ms, shown as
assumed; 0 leaves the CPU unjudged); --request-ms,
--db-ms and --cpu-ms win over both.
--format md (GitHub Markdown), html (one self-contained page with inline SVG
charts) or json (report.schema.json).

Exit codes:
  0  the report was written (findings do not change it: they are in the report)
  2  usage error, input that cannot be read or parsed (the report of the rest
     is still written), or an output that could not be written`,
		RunE: func(c *cobra.Command, args []string) error {
			render, ok := reportFormats[format]
			if !ok {
				return usageErr{fmt.Errorf("--format must be md, html or json (got %q)", format)}
			}
			if outFile != "" {
				if err := parentExists(outFile); err != nil {
					return usageErr{err}
				}
			}
			cfg, err := loadConfig(configPath, args)
			if err != nil {
				return err
			}
			rc := cfg.Report
			if c.Flags().Changed("request-ms") {
				rc.RequestMS = requestMS
			}
			if c.Flags().Changed("db-ms") {
				rc.DBMS = &dbMS
			}
			a := rc.Assumptions()
			a.WorkerMemoryMB = cfg.Targets.WorkerMemoryMB
			if c.Flags().Changed("cpu-ms") {
				a.CPUMS, a.CPUAssumed = cpuMS, false
			}
			if err := a.Check(); err != nil {
				return usageErr{err}
			}
			rs, err := rules.Selection{Select: cfg.Select, Ignore: cfg.Ignore}.Rules()
			if err != nil {
				return usageErr{err}
			}
			sts, errs := stack.LoadDeployments(paths(args), stack.MaxFileSize, stack.DiscoverOptions{NoIgnore: noIgnore})
			errOut := &console{w: stderr}
			for _, err := range errs {
				errOut.printf("%v\n", err)
			}
			nothingFound(errOut, anyFiles(sts), errs, args)
			rep := report.Build(sts, report.Options{Assumptions: a, Rules: rs, Settings: cfg.Settings()})
			var b strings.Builder
			if err := render(&b, rep); err != nil {
				return err
			}
			if outFile != "" {
				if err := os.WriteFile(outFile, []byte(b.String()), 0o644); err != nil {
					return fmt.Errorf("writing the report to %s: %w", outFile, err)
				}
			} else if _, err := io.WriteString(stdout, b.String()); err != nil {
				return stdoutErr(err)
			}
			return finish(errOut, errs)
		},
	}
	c.Flags().StringVar(&format, "format", "md", "output format: md, html or json")
	c.Flags().StringVarP(&outFile, "output", "o", "", "write the report to this file instead of stdout; its folder must exist")
	c.Flags().Float64Var(&requestMS, "request-ms", 0, "mean time of a web request, end to end, in ms (default: report.request_ms of .headroom.yaml, else 100)")
	c.Flags().Float64Var(&dbMS, "db-ms", 0, "part of a request holding a PostgreSQL connection, in ms (default: report.db_ms, else 30% of the request time)")
	c.Flags().Float64Var(&cpuMS, "cpu-ms", 0, "part of a request running Python on a CPU, in ms; 0 leaves the CPU unjudged (default: report.cpu_ms, else 10, shown as assumed)")
	c.Flags().StringVar(&configPath, "config", "", "configuration file (default: the first .headroom.yaml found walking up from the first path): its select, ignore, severity, targets, report and infrastructure: apply")
	c.Flags().BoolVar(&noIgnore, "no-ignore", false, "also read files that .gitignore excludes (paths given explicitly always are)")
	return c
}
