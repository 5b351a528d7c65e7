// Command genstack writes a synthetic monorepo of deployment files for
// benchmarking: go run ./internal/gen/genstack -files 1000 -o /tmp/mono
// With -copies N -of DIR it writes N copies of the stack in DIR instead:
// go run ./internal/gen/genstack -copies 250 -of testdata/wingman -o /tmp/wm
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/headroom-dev/headroom/internal/gen"
)

func main() {
	files := flag.Int("files", 100, "number of deployment files to write")
	seed := flag.Uint64("seed", 1, "content seed; the same seed writes the same tree")
	out := flag.String("o", "", "folder to write into (required)")
	noNoise := flag.Bool("no-noise", false, "leave out node_modules, virtualenvs, app code and gitignored folders")
	copies := flag.Int("copies", 0, "write this many copies of the stack in -of instead of a generated monorepo")
	of := flag.String("of", "", "the stack folder -copies copies")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "genstack: -o FOLDER is required")
		os.Exit(2)
	}
	if *copies > 0 {
		if *of == "" {
			fmt.Fprintln(os.Stderr, "genstack: -copies needs -of FOLDER")
			os.Exit(2)
		}
		files, bytes, err := gen.Copies(*out, *of, *copies)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genstack:", err)
			os.Exit(1)
		}
		fmt.Printf("%d copies, %d deployment files (%d bytes), 0 other files in %s\n", *copies, files, bytes, *out)
		return
	}
	st, err := gen.Write(*out, gen.Options{Files: *files, Seed: *seed, NoNoise: *noNoise})
	if err != nil {
		fmt.Fprintln(os.Stderr, "genstack:", err)
		os.Exit(1)
	}
	fmt.Printf("%d services, %d deployment files (%d bytes), %d other files in %s\n", st.Services, st.DeploymentFiles, st.DeploymentBytes, st.NoiseFiles, *out)
}
