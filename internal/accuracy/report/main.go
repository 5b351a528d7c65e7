// Command report prints headroom's precision and recall on the labelled
// corpus (make accuracy).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/headroom-dev/headroom/internal/accuracy"
)

func main() {
	root := flag.String("corpus", "testdata/corpus", "the corpus directory")
	flag.Parse()
	ps, err := accuracy.LoadCorpus(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	accuracy.Measure(ps).Write(os.Stdout)
}
