// Command report prints headroom's precision and recall on the labelled
// corpora (make accuracy): the tuned set first, in full, then the held-out
// set, then both together.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/headroom-dev/headroom/internal/accuracy"
)

func main() {
	root := flag.String("corpus", "testdata/corpus", "the corpus the rules are tuned on")
	heldout := flag.String("heldout", "testdata/corpus-heldout", "the held-out corpus (empty: none)")
	flag.Parse()
	if err := run(os.Stdout, *root, *heldout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(w io.Writer, root, heldout string) error {
	tuned, err := measure(root)
	if err != nil {
		return err
	}
	tuned.Write(w)
	if heldout == "" {
		return nil
	}
	held, err := measure(heldout)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== held-out: %s ==\n", heldout)
	held.Write(w)
	fmt.Fprintf(w, "\n== overall: %s and %s (disagreements listed above) ==\n", root, heldout)
	accuracy.Merge(tuned, held).WriteSummary(w)
	return nil
}

func measure(root string) (*accuracy.Result, error) {
	ps, err := accuracy.LoadCorpus(root)
	if err != nil {
		return nil, err
	}
	return accuracy.Measure(ps), nil
}
