package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// version names the generator's output in the cache: bump it whenever
// Write changes what it writes, so benchmarks never measure a stale tree.
const version = 2

var treeMu sync.Mutex

// Tree returns a generated monorepo of about files deployment files (seed
// 1, with noise), writing it once into a cache folder under the system
// temp folder and reusing it across benchmark runs: generating 10,000
// files takes longer than linting them.
func Tree(tb testing.TB, files int) string {
	tb.Helper()
	treeMu.Lock()
	defer treeMu.Unlock()
	dir := filepath.Join(os.TempDir(), "headroom-bench", fmt.Sprintf("v%d-files%d", version, files))
	stamp := filepath.Join(dir, ".complete")
	if _, err := os.Stat(stamp); err == nil {
		return filepath.Join(dir, "repo")
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if _, err := Write(filepath.Join(dir, "repo"), Options{Files: files, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, "repo")
}
