// Command report prints headroom's precision and recall on the labelled
// corpora (make accuracy): the tuned set first, in full, then each set
// nobody tuned for (-heldout, which may be given more than once), then all
// of them together. Each set's figures are printed beside its first run
// (the corpus's blind.tsv, accuracy.FirstRun); -record-blind writes that
// file for a set that has none, from this run, with the commit measured.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/headroom-dev/headroom/internal/accuracy"
)

// dirs is a flag that may be repeated; each value may also list several
// directories separated by commas. The first value given replaces the
// default list; an empty value clears it.
type dirs struct {
	list []string
	set  bool
}

func (d *dirs) String() string { return strings.Join(d.list, ",") }

func (d *dirs) Set(v string) error {
	if !d.set {
		d.list, d.set = nil, true
	}
	if v == "" {
		d.list = nil
		return nil
	}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			d.list = append(d.list, s)
		}
	}
	return nil
}

func main() {
	root := flag.String("corpus", sets[0], "the corpus the rules are tuned on")
	heldout := dirs{list: append([]string(nil), sets[1:]...)}
	flag.Var(&heldout, "heldout", "a corpus nobody tuned for; repeat the flag (or separate with commas) for several, empty for none")
	record := flag.Bool("record-blind", false, "write blind.tsv, from this run, in every set that has none (the worktree must be clean: the file names the commit measured)")
	flag.Parse()
	opt := options{}
	if *record {
		opt.record = once(gitCommit)
	}
	if err := run(os.Stdout, opt, *root, heldout.list...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

// sets are the labelled corpora, relative to the repository root: the
// tuned one first, then the sets nobody tuned for, in the order they were
// gathered. They are the flags' defaults and the README's Accuracy tables.
var sets = []string{"testdata/corpus", "testdata/corpus-heldout", "testdata/corpus-fresh", "testdata/corpus-blind"}

// options of a run: record, when set, gives the commit a first run is
// recorded against.
type options struct {
	record func() (string, error)
}

// once asks f the first time only: the commit is taken before the first
// blind.tsv is written, which leaves the worktree with a new file.
func once(f func() (string, error)) func() (string, error) {
	var (
		done   bool
		commit string
		err    error
	)
	return func() (string, error) {
		if !done {
			commit, err = f()
			done = true
		}
		return commit, err
	}
}

// gitCommit is HEAD's commit; a worktree with changes has none that says
// what was measured.
func gitCommit() (string, error) {
	out, err := exec.Command("git", "status", "--porcelain").Output()
	if err != nil {
		return "", fmt.Errorf("git status: %w", err)
	}
	if len(strings.TrimSpace(string(out))) > 0 {
		return "", errors.New("-record-blind: the worktree has uncommitted changes, so no commit says what was measured; commit first")
	}
	out, err = exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "", fmt.Errorf("git rev-parse: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func run(w io.Writer, opt options, root string, heldout ...string) error {
	tuned, err := measure(root)
	if err != nil {
		return err
	}
	tuned.Write(w)
	first, err := firstRun(w, opt, root, tuned)
	if err != nil {
		return err
	}
	if len(heldout) == 0 {
		return nil
	}
	all := []*accuracy.Result{tuned}
	rows := []compared{{root, first, tuned}}
	for _, dir := range heldout {
		held, err := measure(dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n== held-out: %s ==\n", dir)
		held.Write(w)
		first, err := firstRun(w, opt, dir, held)
		if err != nil {
			return err
		}
		all = append(all, held)
		rows = append(rows, compared{dir, first, held})
	}
	fmt.Fprintf(w, "\n== overall: %s (disagreements listed above) ==\n", andList(append([]string{root}, heldout...)))
	accuracy.Merge(all...).WriteSummary(w)
	fmt.Fprintf(w, "\n== first run (blind) and now, per set ==\n")
	writeCompared(w, rows)
	return nil
}

// compared is one set's first run (nil where none is recorded) and its
// figures now.
type compared struct {
	dir   string
	first *accuracy.FirstRun
	now   *accuracy.Result
}

// firstRun prints a set's first-run figures beside this run's, recording
// them first where asked to and the set has none.
func firstRun(w io.Writer, opt options, dir string, res *accuracy.Result) (*accuracy.FirstRun, error) {
	fr, err := accuracy.ReadFirstRun(dir)
	if err != nil {
		return nil, err
	}
	if fr == nil && opt.record != nil {
		commit, err := opt.record()
		if err != nil {
			return nil, err
		}
		rec := accuracy.FirstRunOf(res, commit, time.Now().UTC().Format("2006-01-02"))
		if err := accuracy.RecordFirstRun(dir, rec); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "\nrecorded %s/%s\n", dir, accuracy.FirstRunFile)
		fr = &rec
	}
	if fr == nil {
		fmt.Fprintf(w, "\nfirst run: not recorded (%s/%s is absent; -record-blind writes it)\n", dir, accuracy.FirstRunFile)
	} else {
		fmt.Fprintf(w, "\nfirst run (blind), headroom %s on %s: %s\n", short(fr.Commit), fr.Date, fr)
	}
	fmt.Fprintf(w, "now: %s\n", res.Figures())
	return fr, nil
}

// writeCompared prints one line per set: first run, then now.
func writeCompared(w io.Writer, rows []compared) {
	fmt.Fprintf(w, "%-28s %-12s %9s %6s   %9s %6s\n", "SET", "FIRST RUN", "PRECISION", "RECALL", "PRECISION", "RECALL")
	for _, r := range rows {
		commit, p, rc := "-", "-", "-"
		if r.first != nil {
			commit, p, rc = short(r.first.Commit), accuracy.Ratio(r.first.Precision()), accuracy.Ratio(r.first.Recall())
		}
		fmt.Fprintf(w, "%-28s %-12s %9s %6s   %9s %6s\n", r.dir, commit, p, rc, accuracy.Ratio(r.now.Total.Precision()), accuracy.Ratio(r.now.Total.Recall()))
	}
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// andList joins names as "a and b" or "a, b and c".
func andList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func measure(root string) (*accuracy.Result, error) {
	ps, err := accuracy.LoadCorpus(root)
	if err != nil {
		return nil, err
	}
	return accuracy.Measure(ps), nil
}
