package main

import (
	"fmt"
	"strings"

	"github.com/headroom-dev/headroom/internal/accuracy"
)

// The README's Accuracy tables lie between these markers.
const (
	readmeBegin = "<!-- accuracy:begin (generated from each set's blind.tsv and a run of the rules; go test ./internal/accuracy/report -update) -->\n"
	readmeEnd   = "<!-- accuracy:end -->"
)

// readmeTables gives the README's two tables: each set's first run (blind,
// from its blind.tsv), then the figures of this run, and all sets together.
// A set without blind.tsv shows "not recorded".
func readmeTables(rows []compared) string {
	var b strings.Builder
	b.WriteString("First run of headroom on each set, after its labels were committed (the blind figures; `blind.tsv`):\n\n")
	b.WriteString("| set | measured on | projects | labels (fire / quiet) | TP | FP | FN | precision | recall | crashes, exit 2 |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		if r.first == nil {
			fmt.Fprintf(&b, "| `%s` | not recorded | | | | | | | | |\n", r.dir)
			continue
		}
		f := r.first
		fmt.Fprintf(&b, "| `%s` | %s, %s | %d | %d / %d | %d | %d | %d | %s | %s | %d, %d |\n",
			r.dir, short(f.Commit), f.Date, f.Projects, f.Fire, f.Quiet, f.TP, f.FP, f.FN,
			accuracy.Ratio(f.Precision()), accuracy.Ratio(f.Recall()), f.Crashes, f.Exit2)
	}
	b.WriteString("\nThe same sets now, with the rules of this commit (`make accuracy`):\n\n")
	b.WriteString("| set | projects | labels (fire / quiet) | TP | FP | FN | precision | recall | crashes, exit 2 |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	var all []*accuracy.Result
	row := func(name string, r *accuracy.Result) {
		c := r.Total
		fmt.Fprintf(&b, "| %s | %d | %d / %d | %d | %d | %d | %s | %s | %d, %d |\n",
			name, r.Projects, c.FireLabels, c.QuietLabels, c.TP, c.FP, c.FN,
			accuracy.Ratio(c.Precision()), accuracy.Ratio(c.Recall()), len(r.Crashes), len(r.Exit2))
	}
	for _, r := range rows {
		row("`"+r.dir+"`", r.now)
		all = append(all, r.now)
	}
	if len(rows) > 1 {
		row(fmt.Sprintf("all %d sets", len(rows)), accuracy.Merge(all...))
	}
	return b.String()
}

// measureSets measures each set and reads its first run.
func measureSets(dirs []string) ([]compared, error) {
	var rows []compared
	for _, dir := range dirs {
		res, err := measure(dir)
		if err != nil {
			return nil, err
		}
		fr, err := accuracy.ReadFirstRun(dir)
		if err != nil {
			return nil, err
		}
		rows = append(rows, compared{dir, fr, res})
	}
	return rows, nil
}
