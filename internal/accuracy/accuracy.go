// Package accuracy measures headroom's rules against hand-labelled public
// projects: testdata/corpus, the set the rules are tuned on, and the sets
// nobody tuned for when they were first measured (testdata/corpus-heldout,
// testdata/corpus-fresh, testdata/corpus-blind), measured separately and
// together (Merge), each beside its first run (FirstRun, the set's
// blind.tsv). Each project directory holds the deployment
// files as published and a labels.tsv; Measure runs the rules on every
// project the way `headroom lint` does and scores the findings against the
// labels.
//
// Scoring, per project:
//   - A label names a rule, a file, a line or line range (the statement the
//     judgment is about: "12" or "12-18") and a verdict, fire or quiet.
//     Where one fact is written in two places (a worker count set by an ENV
//     line and read by a gunicorn config file), the label may give
//     alternatives, "Dockerfile|gunicorn.conf.py" and "44|25": a finding at
//     either place matches it.
//   - A finding is scored only if its rule has at least one label in the
//     project; findings of rules the project does not label are counted as
//     unscored and otherwise ignored (nobody judged them).
//   - A scored finding that falls in the range of a fire label of its rule
//     and file is a true positive. Several findings in one fire label's range
//     are all true positives (one statement can have more than one fault);
//     the label counts once for recall.
//   - A scored finding in the range of a quiet label, or at a place with no
//     label of its rule, is a false positive.
//   - A fire label no finding matches is a false negative.
//   - A quiet label no finding matches is a true negative.
//
// Precision is TP findings / scored findings; recall is fire labels hit /
// fire labels. A panic while loading or checking a project is a crash; a
// load error on a project (what makes `headroom lint` exit 2) is counted as
// exit-2.
package accuracy

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/headroom-dev/headroom/config"
	"github.com/headroom-dev/headroom/driver"
	"github.com/headroom-dev/headroom/rules"
	_ "github.com/headroom-dev/headroom/rules/all" // every rule registers itself
	"github.com/headroom-dev/headroom/stack"
)

// Label is one hand judgment.
type Label struct {
	Project string
	Rule    string
	Places  []Place // where the judged fact is written: any of them
	Fire    bool
	Why     string
	Line    int // line of labels.tsv
}

// Place is a line range of one file.
type Place struct {
	File     string // relative to the project directory
	From, To int    // 1-based line range, inclusive
}

func (p Place) String() string {
	if p.To != p.From {
		return fmt.Sprintf("%s:%d-%d", p.File, p.From, p.To)
	}
	return fmt.Sprintf("%s:%d", p.File, p.From)
}

// covers reports whether a finding of the label's rule at file:line
// matches the label.
func (l Label) covers(f *Finding) bool {
	if l.Rule != f.Rule {
		return false
	}
	for _, p := range l.Places {
		if p.File == f.File && f.Line >= p.From && f.Line <= p.To {
			return true
		}
	}
	return false
}

func (l Label) String() string {
	places := make([]string, len(l.Places))
	for i, p := range l.Places {
		places[i] = p.String()
	}
	v := "quiet"
	if l.Fire {
		v = "fire"
	}
	return fmt.Sprintf("%s %s labelled %s (%s)", l.Rule, strings.Join(places, " or "), v, l.Why)
}

// Project is one corpus directory and its labels.
type Project struct {
	Name   string
	Dir    string
	Labels []Label
}

// LoadCorpus reads every project under root: each directory with a
// labels.tsv.
func LoadCorpus(root string) ([]Project, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var ps []Project
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		f, err := os.Open(filepath.Join(dir, "labels.tsv"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		ls, err := ParseLabels(e.Name(), f)
		f.Close()
		if err != nil {
			return nil, err
		}
		ps = append(ps, Project{Name: e.Name(), Dir: dir, Labels: ls})
	}
	return ps, nil
}

// ParseLabels reads a labels.tsv: a header line, then rule, file, line
// (N or N-M), verdict (fire or quiet), why. Blank lines and lines starting
// with # are skipped.
func ParseLabels(project string, r io.Reader) ([]Label, error) {
	var ls []Label
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 {
			return nil, fmt.Errorf("%s/labels.tsv:%d: want 5 tab-separated columns, got %d", project, n, len(cols))
		}
		l := Label{Project: project, Rule: cols[0], Why: cols[4], Line: n}
		files, ranges := strings.Split(cols[1], "|"), strings.Split(cols[2], "|")
		if len(files) != len(ranges) {
			return nil, fmt.Errorf("%s/labels.tsv:%d: %d files but %d line ranges", project, n, len(files), len(ranges))
		}
		for i, file := range files {
			p := Place{File: file}
			from, to, ok := strings.Cut(ranges[i], "-")
			var err1, err2 error
			p.From, err1 = strconv.Atoi(from)
			p.To = p.From
			if ok {
				p.To, err2 = strconv.Atoi(to)
			}
			if err1 != nil || err2 != nil || p.From < 1 || p.To < p.From || file == "" {
				return nil, fmt.Errorf("%s/labels.tsv:%d: bad place %q %q", project, n, file, ranges[i])
			}
			l.Places = append(l.Places, p)
		}
		switch cols[3] {
		case "fire":
			l.Fire = true
		case "quiet":
		default:
			return nil, fmt.Errorf("%s/labels.tsv:%d: verdict %q is neither fire nor quiet", project, n, cols[3])
		}
		if strings.TrimSpace(l.Why) == "" {
			return nil, fmt.Errorf("%s/labels.tsv:%d: no reason given", project, n)
		}
		ls = append(ls, l)
	}
	return ls, sc.Err()
}

// Finding is one diagnostic, reduced to what scoring needs.
type Finding struct {
	Rule    string
	File    string
	Line    int
	Message string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s %s:%d %s", f.Rule, f.File, f.Line, f.Message)
}

// Run lints a project the way `headroom lint DIR` does with the default
// configuration: every rule, one stack per deployment. A panic comes back
// as crash.
func Run(p Project) (fs []Finding, loadErrs []error, crash string) {
	defer func() {
		if r := recover(); r != nil {
			crash = fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	sts, errs := stack.LoadDeployments([]string{p.Dir}, stack.MaxFileSize, stack.DiscoverOptions{})
	settings := config.Default().Settings()
	var ds []rules.Diagnostic
	for _, st := range sts {
		ds = append(ds, settings.Run(st, rules.All())...)
	}
	driver.Sort(ds)
	prefix := filepath.ToSlash(p.Dir) + "/"
	for _, d := range ds {
		fs = append(fs, Finding{
			Rule:    d.Rule.ID,
			File:    strings.TrimPrefix(strings.TrimPrefix(d.Doc.Path, prefix), "./"),
			Line:    d.Pos().Line,
			Message: d.Message,
		})
	}
	return fs, errs, ""
}

// Counts are the tallies of one rule, or of everything.
type Counts struct {
	TP, FP      int // scored findings
	Hit, FN, TN int // labels: fire labels hit, fire labels missed, quiet labels kept quiet
	Unscored    int // findings of rules the project does not label
	FireLabels  int
	QuietLabels int
	QuietBroken int // quiet labels some finding fell on
}

// Precision is TP / (TP + FP), or -1 with nothing scored.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		return -1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is fire labels hit / fire labels, or -1 without fire labels.
func (c Counts) Recall() float64 {
	if c.Hit+c.FN == 0 {
		return -1
	}
	return float64(c.Hit) / float64(c.Hit+c.FN)
}

func (c *Counts) add(o Counts) {
	c.TP += o.TP
	c.FP += o.FP
	c.Hit += o.Hit
	c.FN += o.FN
	c.TN += o.TN
	c.Unscored += o.Unscored
	c.FireLabels += o.FireLabels
	c.QuietLabels += o.QuietLabels
	c.QuietBroken += o.QuietBroken
}

// Disagreement is a place where the tool and a label differ.
type Disagreement struct {
	Project string
	Kind    string // "false positive" or "false negative"
	Finding *Finding
	Label   *Label // the quiet label fired on, or the fire label missed
}

func (d Disagreement) String() string {
	switch {
	case d.Finding != nil && d.Label != nil:
		return fmt.Sprintf("%s: %s: %s\n    against %s", d.Project, d.Kind, d.Finding, d.Label)
	case d.Finding != nil:
		return fmt.Sprintf("%s: %s: %s\n    (no label of this rule there)", d.Project, d.Kind, d.Finding)
	default:
		return fmt.Sprintf("%s: %s: %s", d.Project, d.Kind, d.Label)
	}
}

// Result is the measure of the whole corpus.
type Result struct {
	Projects      int
	ByRule        map[string]*Counts
	Total         Counts
	Disagreements []Disagreement
	Crashes       map[string]string  // project -> panic
	Exit2         map[string][]error // project -> load errors
}

// Score compares one project's findings with its labels.
func Score(p Project, fs []Finding, res *Result) {
	labelled := map[string]bool{}
	for _, l := range p.Labels {
		labelled[l.Rule] = true
	}
	counts := func(rule string) *Counts {
		c := res.ByRule[rule]
		if c == nil {
			c = &Counts{}
			res.ByRule[rule] = c
		}
		return c
	}
	hit := make([]bool, len(p.Labels))
	for i := range fs {
		f := &fs[i]
		if !labelled[f.Rule] {
			counts(f.Rule).Unscored++
			continue
		}
		var fire, quiet []int
		for j, l := range p.Labels {
			if l.covers(f) {
				if l.Fire {
					fire = append(fire, j)
				} else {
					quiet = append(quiet, j)
				}
			}
		}
		c := counts(f.Rule)
		switch {
		case len(fire) > 0:
			c.TP++
			for _, j := range fire {
				hit[j] = true
			}
		case len(quiet) > 0:
			c.FP++
			for _, j := range quiet {
				hit[j] = true
			}
			l := p.Labels[quiet[0]]
			res.Disagreements = append(res.Disagreements, Disagreement{p.Name, "false positive", f, &l})
		default:
			c.FP++
			res.Disagreements = append(res.Disagreements, Disagreement{p.Name, "false positive", f, nil})
		}
	}
	for j, l := range p.Labels {
		c := counts(l.Rule)
		if l.Fire {
			c.FireLabels++
			if hit[j] {
				c.Hit++
			} else {
				c.FN++
				l := l
				res.Disagreements = append(res.Disagreements, Disagreement{p.Name, "false negative", nil, &l})
			}
		} else {
			c.QuietLabels++
			if hit[j] {
				c.QuietBroken++
			} else {
				c.TN++
			}
		}
	}
}

// Measure runs and scores every project.
func Measure(ps []Project) *Result {
	res := &Result{ByRule: map[string]*Counts{}, Crashes: map[string]string{}, Exit2: map[string][]error{}}
	for _, p := range ps {
		res.Projects++
		fs, errs, crash := Run(p)
		if crash != "" {
			res.Crashes[p.Name] = crash
		}
		if len(errs) > 0 {
			res.Exit2[p.Name] = errs
		}
		Score(p, fs, res)
	}
	for _, c := range res.ByRule {
		res.Total.add(*c)
	}
	return res
}

// Ratio prints a precision or recall with two decimals, "-" where it is
// undefined (-1).
func Ratio(v float64) string {
	if v < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

// Write prints the per-rule table, the totals and every disagreement.
func (r *Result) Write(w io.Writer) {
	r.WriteSummary(w)
	fmt.Fprintf(w, "\n%d disagreements\n", len(r.Disagreements))
	for _, d := range r.Disagreements {
		fmt.Fprintln(w, d)
	}
}

// WriteSummary prints the per-rule table, the totals, the crashes and the
// load errors, without the disagreements.
func (r *Result) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "%d projects\n\n", r.Projects)
	fmt.Fprintf(w, "%-6s %5s %5s %5s %5s %5s %5s %9s %6s %8s\n", "RULE", "FIRE", "QUIET", "TP", "FP", "FN", "TN", "PRECISION", "RECALL", "UNSCORED")
	ids := make([]string, 0, len(r.ByRule))
	for id := range r.ByRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	row := func(id string, c Counts) {
		fmt.Fprintf(w, "%-6s %5d %5d %5d %5d %5d %5d %9s %6s %8d\n", id, c.FireLabels, c.QuietLabels, c.TP, c.FP, c.FN, c.TN,
			Ratio(c.Precision()), Ratio(c.Recall()), c.Unscored)
	}
	for _, id := range ids {
		row(id, *r.ByRule[id])
	}
	row("ALL", r.Total)
	fmt.Fprintf(w, "\ncrashes: %d, exit-2 (load or parse errors): %d\n", len(r.Crashes), len(r.Exit2))
	for _, name := range sortedKeys(r.Crashes) {
		fmt.Fprintf(w, "  crash %s: %s\n", name, firstLine(r.Crashes[name]))
	}
	for _, name := range sortedKeys(r.Exit2) {
		for _, e := range r.Exit2[name] {
			fmt.Fprintf(w, "  exit-2 %s: %v\n", name, e)
		}
	}
}

// Merge adds up the results of several corpora: projects, per-rule counts,
// crashes, load errors and disagreements. Project names are expected to be
// unique across the corpora.
func Merge(rs ...*Result) *Result {
	m := &Result{ByRule: map[string]*Counts{}, Crashes: map[string]string{}, Exit2: map[string][]error{}}
	for _, r := range rs {
		m.Projects += r.Projects
		for id, c := range r.ByRule {
			mc := m.ByRule[id]
			if mc == nil {
				mc = &Counts{}
				m.ByRule[id] = mc
			}
			mc.add(*c)
		}
		for name, crash := range r.Crashes {
			m.Crashes[name] = crash
		}
		for name, errs := range r.Exit2 {
			m.Exit2[name] = append(m.Exit2[name], errs...)
		}
		m.Disagreements = append(m.Disagreements, r.Disagreements...)
	}
	for _, c := range m.ByRule {
		m.Total.add(*c)
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
