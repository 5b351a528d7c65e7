// Command report prints headroom's precision and recall on the labelled
// corpora (make accuracy): the tuned set first, in full, then each set
// nobody tuned for (-heldout, which may be given more than once), then all
// of them together.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

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
	root := flag.String("corpus", "testdata/corpus", "the corpus the rules are tuned on")
	heldout := dirs{list: []string{"testdata/corpus-heldout"}}
	flag.Var(&heldout, "heldout", "a corpus nobody tuned for; repeat the flag (or separate with commas) for several, empty for none")
	flag.Parse()
	if err := run(os.Stdout, *root, heldout.list...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(w io.Writer, root string, heldout ...string) error {
	tuned, err := measure(root)
	if err != nil {
		return err
	}
	tuned.Write(w)
	if len(heldout) == 0 {
		return nil
	}
	all := []*accuracy.Result{tuned}
	for _, dir := range heldout {
		held, err := measure(dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n== held-out: %s ==\n", dir)
		held.Write(w)
		all = append(all, held)
	}
	fmt.Fprintf(w, "\n== overall: %s (disagreements listed above) ==\n", andList(append([]string{root}, heldout...)))
	accuracy.Merge(all...).WriteSummary(w)
	return nil
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
