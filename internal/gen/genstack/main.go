// Command genstack writes a synthetic monorepo of deployment files for
// benchmarking: go run ./internal/gen/genstack -files 1000 -o /tmp/mono
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
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "genstack: -o FOLDER is required")
		os.Exit(2)
	}
	st, err := gen.Write(*out, gen.Options{Files: *files, Seed: *seed, NoNoise: *noNoise})
	if err != nil {
		fmt.Fprintln(os.Stderr, "genstack:", err)
		os.Exit(1)
	}
	fmt.Printf("%d services, %d deployment files (%d bytes), %d other files in %s\n", st.Services, st.DeploymentFiles, st.DeploymentBytes, st.NoiseFiles, *out)
}
